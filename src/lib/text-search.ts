/**
 * A small full-text search used when the browser runs no JavaScript (Pagefind needs it):
 * every word of the query must start a word of the document, accents and case ignored.
 * Titles weigh more than bodies.
 */

export interface SearchDocument {
  url: string;
  title: string;
  text: string;
}

export interface SearchHit {
  url: string;
  title: string;
  /** The excerpt in pieces, `match` marking the words the query found. */
  excerpt: { text: string; match: boolean }[];
}

interface Indexed extends SearchDocument {
  titleWords: string[];
  /** Each distinct word of title and text, with how often it occurs. */
  words: Map<string, number>;
}

const STOP_WORDS = new Set(['le', 'la', 'les', 'un', 'une', 'des', 'de', 'du', 'et', 'ou', 'a', 'au', 'aux', 'en', 'je', 'mon', 'ma', 'mes', 'the', 'an', 'of', 'to', 'my', 'is', 'in', 'on', 'and', 'or', 'for', 'how', 'do', 'i']);

export function normalize(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

export function tokenize(text: string): string[] {
  return normalize(text).split(/[^a-z0-9]+/).filter((w) => w.length > 0);
}

export function queryTerms(query: string): string[] {
  const terms = tokenize(query.slice(0, 200));
  const meaningful = terms.filter((t) => !STOP_WORDS.has(t));
  return [...new Set(meaningful.length > 0 ? meaningful : terms)].slice(0, 10);
}

/** Markdown to plain text, enough for matching and excerpts. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^\s*(?:[-*+]|\d+\.)\s+/gm, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function createIndex(documents: SearchDocument[]): Indexed[] {
  return documents.map((d) => {
    const words = new Map<string, number>();
    for (const word of tokenize(`${d.title} ${d.text}`)) words.set(word, (words.get(word) ?? 0) + 1);
    return { ...d, titleWords: [...new Set(tokenize(d.title))], words };
  });
}

const wordStart = (term: string) => new RegExp(`(^|[^a-z0-9])(${term}[a-z0-9]*)`, 'g');

/** About `length` characters around the first match, starting and ending on whole words. */
function excerpt(text: string, terms: string[], length = 180): SearchHit['excerpt'] {
  // NFD-normalizing and stripping accents keeps one character per letter for French text, so
  // positions in the normalized text are positions in the original.
  const normalized = normalize(text);
  const aligned = normalized.length === text.length;
  const first = aligned ? Math.min(...terms.map((t) => normalized.search(wordStart(t))).filter((i) => i >= 0)) : 0;
  let start = Number.isFinite(first) ? Math.max(0, first - 60) : 0;
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  let end = Math.min(text.length, start + length);
  if (end < text.length) end = text.lastIndexOf(' ', end) > start ? text.lastIndexOf(' ', end) : end;
  const pieces: SearchHit['excerpt'] = [];
  if (start > 0) pieces.push({ text: '… ', match: false });
  let cursor = start;
  if (aligned) {
    const matches = terms
      .flatMap((t) => [...normalized.slice(start, end).matchAll(wordStart(t))].map((m) => [start + m.index + m[1]!.length, m[2]!.length] as const))
      .sort((a, b) => a[0] - b[0]);
    for (const [at, size] of matches) {
      if (at < cursor) continue;
      if (at > cursor) pieces.push({ text: text.slice(cursor, at), match: false });
      pieces.push({ text: text.slice(at, at + size), match: true });
      cursor = at + size;
    }
  }
  pieces.push({ text: text.slice(cursor, end), match: false });
  if (end < text.length) pieces.push({ text: ' …', match: false });
  return pieces.filter((p) => p.text.length > 0);
}

export function search(index: Indexed[], query: string, limit = 20): { total: number; hits: SearchHit[] } {
  const terms = queryTerms(query);
  if (terms.length === 0) return { total: 0, hits: [] };
  const scored: { doc: Indexed; score: number }[] = [];
  for (const doc of index) {
    let score = 0;
    for (const term of terms) {
      let found = 0;
      for (const [word, count] of doc.words) if (word.startsWith(term)) found += count;
      if (found === 0) {
        score = 0;
        break;
      }
      score += found + (doc.titleWords.some((w) => w.startsWith(term)) ? 10 : 0);
    }
    if (score > 0) scored.push({ doc, score });
  }
  scored.sort((a, b) => b.score - a.score || a.doc.title.localeCompare(b.doc.title));
  return {
    total: scored.length,
    hits: scored.slice(0, limit).map(({ doc }) => ({ url: doc.url, title: doc.title, excerpt: excerpt(doc.text, terms) })),
  };
}

/** Words too common in a description to say anything about the problem. */
const DESCRIPTION_STOP_WORDS = new Set(['avec', 'dans', 'pour', 'mais', 'plus', 'suis', 'avoir', 'fait', 'faire', 'that', 'this', 'with', 'have', 'from', 'what', 'when']);

/**
 * The words of a description worth matching against help entries: four letters or more, not
 * filler, each once. Shared by the server's suggestions and the browser's (Pagefind).
 */
export function descriptionTerms(text: string): string[] {
  return [...new Set(tokenize(text.slice(0, 5000)).filter((t) => t.length >= 4 && !STOP_WORDS.has(t) && !DESCRIPTION_STOP_WORDS.has(t)))];
}

/** For each distinct word of an index, the documents holding it; built once per index. */
const inverted = new WeakMap<Indexed[], Map<string, number[]>>();
function postings(index: Indexed[]): Map<string, number[]> {
  let words = inverted.get(index);
  if (!words) {
    words = new Map();
    for (const [i, doc] of index.entries()) {
      for (const word of doc.words.keys()) {
        const docs = words.get(word);
        if (docs) docs.push(i);
        else words.set(word, [i]);
      }
    }
    inverted.set(index, words);
  }
  return words;
}

/**
 * Help entries that may answer a request while it is being described: unlike `search`,
 * a document need not contain every word; rarer words weigh more, and a document must share
 * at least two of them (or one with its title) to be suggested.
 */
export function suggest(index: Indexed[], text: string, limit = 3): { url: string; title: string }[] {
  const terms = descriptionTerms(text).slice(0, 60);
  if (terms.length === 0 || index.length === 0) return [];
  // Looking terms up in the word list, not in every document, keeps this a few milliseconds
  // at thousands of entries (it runs on every "check your answers" page).
  const words = postings(index);
  const found = new Map<number, { score: number; shared: number; inTitle: boolean }>();
  for (const term of terms) {
    const docs = new Set<number>();
    for (const [word, holders] of words) if (word.startsWith(term)) for (const i of holders) docs.add(i);
    const rarity = Math.log(1 + index.length / (1 + docs.size));
    for (const i of docs) {
      const title = index[i]!.titleWords.some((w) => w.startsWith(term));
      const entry = found.get(i) ?? { score: 0, shared: 0, inTitle: false };
      entry.score += rarity * (title ? 3 : 1);
      entry.shared += 1;
      entry.inTitle ||= title;
      found.set(i, entry);
    }
  }
  return [...found.entries()]
    .filter(([, e]) => e.shared >= 2 || e.inTitle)
    .sort(([a, x], [b, y]) => y.score - x.score || index[a]!.title.localeCompare(index[b]!.title))
    .slice(0, limit)
    .map(([i]) => ({ url: index[i]!.url, title: index[i]!.title }));
}
