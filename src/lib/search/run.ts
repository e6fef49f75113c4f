/**
 * Runs an understood query (./understand.ts) on a search engine — Pagefind, in the browser or
 * on the server — and ranks the pages: first by how many of the query's concepts they answer
 * (so that one word the content lacks never leaves "nothing"), then by the engine's scores.
 * Pagefind reads several words as all required; here each alternative of each concept is one
 * search, and a concept's score on a page is that of its best alternative.
 */
import type { Understood } from './understand';

export interface EngineHit<Data> {
  id: string;
  score: number;
  data: () => Promise<Data>;
}

export interface Engine<Data> {
  search(text: string): Promise<EngineHit<Data>[]>;
}

export interface RankedHit<Data> {
  id: string;
  /** How many of the query's concepts the page answers. */
  matched: number;
  score: number;
  data: () => Promise<Data>;
}

/** At most this many searches for one query (a long sentence with many synonyms). */
const MAX_SEARCHES = 24;
/**
 * Of one search, the best this many pages count: a common word matches thousands of pages of a
 * large help centre, and the pages that answer a query are near the top of its rarer words'
 * searches. The engines may stop there too (the server's thread sends no more).
 */
export const MAX_HITS_PER_SEARCH = 200;
/** A corrected word is a guess: it weighs less than a word the content holds as typed. */
const CORRECTED_WEIGHT = 0.7;

/**
 * `pages`: how many pages the index holds. A concept weighs more the fewer pages answer it
 * (as a search engine's inverse document frequency: "chez" says less than "cantine"); on a page,
 * it counts from half (the page just holds it) to whole (the page it fits best).
 */
export async function runSearch<Data>(engine: Engine<Data>, understood: Understood, pages: number): Promise<RankedHit<Data>[]> {
  const searches = understood.concepts.flatMap((concept, index) => concept.alternatives.map((text) => ({ index, text }))).slice(0, MAX_SEARCHES);
  const found = (await Promise.all(searches.map(({ text }) => engine.search(text)))).map((hits) => [...hits].sort((a, b) => b.score - a.score).slice(0, MAX_HITS_PER_SEARCH));
  /** Per concept, per page, the best alternative's score. */
  const perConcept = understood.concepts.map(() => new Map<string, number>());
  /** Per page, the data of its best single search (whose excerpt shows what it matched). */
  const best = new Map<string, { score: number; data: () => Promise<Data> }>();
  searches.forEach(({ index }, i) => {
    const scores = perConcept[index]!;
    for (const hit of found[i]!) {
      if (hit.score > (scores.get(hit.id) ?? -1)) scores.set(hit.id, hit.score);
      if (hit.score > (best.get(hit.id)?.score ?? -1)) best.set(hit.id, { score: hit.score, data: hit.data });
    }
  });
  const totals = new Map<string, { matched: number; score: number }>();
  understood.concepts.forEach((concept, index) => {
    const scores = perConcept[index]!;
    if (scores.size === 0) return;
    const weight = Math.log(1 + Math.max(pages, scores.size) / scores.size) * (concept.correction ? CORRECTED_WEIGHT : 1);
    const top = Math.max(...scores.values()) || 1;
    for (const [id, score] of scores) {
      const total = totals.get(id) ?? { matched: 0, score: 0 };
      total.matched += 1;
      total.score += weight * (0.5 + (0.5 * score) / top);
      totals.set(id, total);
    }
  });
  const ranked: RankedHit<Data>[] = [...totals].map(([id, total]) => ({ id, matched: total.matched, score: total.score, data: best.get(id)!.data }));
  ranked.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  // Pages far behind the best ones are noise: kept, they would bury nothing but count for "47 results".
  const first = ranked[0]?.score ?? 0;
  return ranked.filter((hit) => hit.score * 4 >= first);
}
