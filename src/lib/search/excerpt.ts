/**
 * Pagefind's excerpts are the page's text, escaped, with <mark> around the words found: read
 * here as pieces of plain text, so that both the server and the browser show them as text
 * (never as markup) with the matches marked.
 */
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#x27': "'" };

const unescape = (text: string) => text.replace(/&(amp|lt|gt|quot|apos|#39|#x27);/g, (_, name: string) => ENTITIES[name] ?? '');

/** Indexed with straight apostrophes (src/integrations/pagefind.ts): the page's text has curly ones. */
export const curlyApostrophes = (text: string) => text.replace(/(?<=\p{L})'(?=\p{L})/gu, '’');

export function excerptPieces(html: string): { text: string; match: boolean }[] {
  return html
    .split(/(<mark>[\s\S]*?<\/mark>)/)
    .filter((piece) => piece.length > 0)
    .map((piece) => {
      const match = piece.startsWith('<mark>');
      const text = curlyApostrophes(unescape((match ? piece.slice(6, -7) : piece).replace(/<[^>]*>/g, '')));
      return { text, match };
    });
}
