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
  excerpt: string;
}

interface Indexed extends SearchDocument {
  titleWords: Set<string>;
  words: string[];
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
    .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>|]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function createIndex(documents: SearchDocument[]): Indexed[] {
  return documents.map((d) => ({ ...d, titleWords: new Set(tokenize(d.title)), words: tokenize(`${d.title} ${d.text}`) }));
}

function excerpt(text: string, terms: string[], length = 180): string {
  const normalized = normalize(text);
  const at = Math.min(...terms.map((t) => normalized.search(new RegExp(`(^|[^a-z0-9])${t}`))).filter((i) => i >= 0), text.length);
  const start = Math.max(0, at - 60);
  const slice = text.slice(start, start + length).trim();
  return `${start > 0 ? '… ' : ''}${slice}${start + length < text.length ? ' …' : ''}`;
}

export function search(index: Indexed[], query: string, limit = 20): { total: number; hits: SearchHit[] } {
  const terms = queryTerms(query);
  if (terms.length === 0) return { total: 0, hits: [] };
  const scored: { doc: Indexed; score: number }[] = [];
  for (const doc of index) {
    let score = 0;
    for (const term of terms) {
      let found = 0;
      for (const word of doc.words) if (word.startsWith(term)) found++;
      if (found === 0) {
        score = 0;
        break;
      }
      score += found + ([...doc.titleWords].some((w) => w.startsWith(term)) ? 10 : 0);
    }
    if (score > 0) scored.push({ doc, score });
  }
  scored.sort((a, b) => b.score - a.score || a.doc.title.localeCompare(b.doc.title));
  return {
    total: scored.length,
    hits: scored.slice(0, limit).map(({ doc }) => ({ url: doc.url, title: doc.title, excerpt: excerpt(doc.text, terms) })),
  };
}
