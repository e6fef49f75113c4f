/** A deterministic generator for seeded datasets, so that a failure can be replayed. */
export function generator(seed: number) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return { random, pick: <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]! };
}
