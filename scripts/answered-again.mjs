// After a worker is killed: has the service answered again? For the tests and the benchmarks.
const pause = (/** @type {number} */ ms) => new Promise((done) => setTimeout(done, ms));

/**
 * Asks `url` until it answers 200, three visitors at a time on new connections, each given up
 * after 250 ms (one the supervisor hands to the dead worker before it notices is never
 * answered; the others are). Resolves with the moment (performance.now()) of the first 200;
 * rejects after `limitMs`.
 * @param {string} url
 * @param {number} [limitMs]
 */
export async function answeredAgain(url, limitMs = 30_000) {
  const start = performance.now();
  for (;;) {
    const answered = await new Promise((settled) => {
      let left = 3;
      const failed = () => (left -= 1) === 0 && settled(0);
      for (let i = 0; i < 3; i += 1) {
        fetch(url, { headers: { Connection: 'close' }, signal: AbortSignal.timeout(250) }).then((response) => {
          void response.body?.cancel().catch(() => {});
          if (response.status === 200) settled(performance.now());
          else failed();
        }, failed);
      }
    });
    if (answered) return /** @type {number} */ (answered);
    if (performance.now() - start > limitMs) throw new Error(`${url} did not answer again within ${limitMs} ms`);
    await pause(5);
  }
}
