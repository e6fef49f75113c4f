/**
 * What a resident's query means, for the help centre's search: one module for the browser (as
 * the reader types, before Pagefind) and the server (the search page without JavaScript), so
 * that both give the same results.
 *
 * A query is read as residents write it: accents and case optional, apostrophes forgotten
 * ("narrive" for "n’arrive"), filler words ignored (French and English stop words, unless the
 * query holds nothing else), everyday words and abbreviations mapped to the content's words
 * through the authority's synonyms (content/search/synonyms.yaml), and words the content does
 * not hold corrected to the nearest word it does (an edit distance that grows with the word's
 * length). Each meaningful word or expression becomes a *concept*: the alternatives any one of
 * which answers it. Stemming (plurals, conjugations) is left to Pagefind, which stems both the
 * pages and the query.
 */
import { distance } from 'fastest-levenshtein';
import { eng, fra } from 'stopword';

/** What the content holds, per language: built with the site, the same file for both sides. */
export interface Lexicon {
  /** How many pages the content has (for how telling a word is). */
  pages: number;
  /** Each word of the help content (normalised), with how many times it occurs. */
  words: Record<string, number>;
  /** A word's usual spelling in the content, where it has accents ("deces": "décès"): Pagefind ranks exact spellings first. */
  forms: Record<string, string>;
  /** Groups of equivalent words and expressions (normalised), from the synonyms file. */
  groups: string[][];
}

export interface Concept {
  /** What the resident typed for it. */
  typed: string;
  /** What is searched, spelt as in the content: any one of them answers the concept. */
  alternatives: string[];
  /** The word of the content it was corrected to, when it was. */
  correction?: string;
}

export interface Understood {
  concepts: Concept[];
  /** The query as corrected, when a word was corrected ("Résultats pour …"); otherwise undefined. */
  corrected?: string;
}

/** Lower case, without accents, apostrophes and punctuation as spaces. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
}

export function words(text: string): string[] {
  return normalize(text)
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** The words of `text` as written (lower case, accents kept), split as `words` splits them. */
export function spelledWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/** The lexicon of `texts` (the help content, its keywords) with `groups` of synonyms. */
export function buildLexicon(texts: string[], groups: string[][], pages: number): Lexicon {
  const counts: Record<string, number> = {};
  const spellings = new Map<string, Map<string, number>>();
  for (const text of texts) {
    for (const spelled of spelledWords(text)) {
      for (const word of words(spelled)) {
        counts[word] = (counts[word] ?? 0) + 1;
        if (word === spelled) continue;
        const seen = spellings.get(word) ?? new Map<string, number>();
        seen.set(spelled, (seen.get(spelled) ?? 0) + 1);
        spellings.set(word, seen);
      }
    }
  }
  const forms: Record<string, string> = {};
  for (const [word, seen] of spellings) {
    const [usual] = [...seen].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
    // Written without accents as often as with them: searched as typed.
    if ((counts[word] ?? 0) - seen.get(usual)! < seen.get(usual)!) forms[word] = usual;
  }
  return { pages, words: counts, forms, groups: groups.map((group) => group.map((expression) => words(expression).join(' '))) };
}

// Words that say nothing about what is sought: Snowball's French and English lists (through
// the `stopword` package), plus what residents add around a question.
const QUERY_FILLER = [
  'plus', 'comment', 'pourquoi', 'quoi', 'quand', 'veux', 'voudrais', 'voudrait', 'peux', 'peut', 'puis', 'dois', 'doit', 'faut', 'svp', 'stp',
  'bonjour', 'merci', 'chez', 'arrive', 'arriver', 'reussi', 'reussis', 'reussir', 'reussit', 'essaie', 'essaye', 'aujourd', 'hui', 'encore', 'toujours', 'jamais', 'rien', 'tout', 'tous', 'tres', 'bien', 'alors', 'donc', 'car', 'si', 'deja',
  'how', 'what', 'why', 'when', 'where', 'can', 'cannot', 'cant', 'dont', 'doesnt', 'please', 'hello', 'still', 'want', 'need', 'get',
];
const STOP_WORDS = new Set([...fra, ...eng, ...QUERY_FILLER].flatMap((word) => words(word)));

export const isStopWord = (word: string) => STOP_WORDS.has(word);

/** Letters that French elides before a vowel ("l’école", "n’arrive", "j’ai", "qu’il"). */
const ELIDED = /^(qu|[ldjnmtsc])([aeiouyh].{2,})$/;

/** How far a word may be from the content's word it is corrected to: more for longer words. */
const tolerance = (length: number) => (length < 4 ? 0 : length < 9 ? 1 : 2);

/** Whether two words differ only by a plural or feminine ending, which Pagefind's stemming handles. */
const sameRoot = (a: string, b: string) => a.replace(/(es|s|x|e)$/, '') === b.replace(/(es|s|x|e)$/, '');

interface Prepared {
  words: Map<string, number>;
  /** Each expression of a group, as words, with its group. */
  phrases: { words: string[]; group: number }[];
  /** The words of the content, by length, for corrections. */
  byLength: Map<number, string[]>;
}

const prepared = new WeakMap<Lexicon, Prepared>();
function prepare(lexicon: Lexicon): Prepared {
  let ready = prepared.get(lexicon);
  if (!ready) {
    const known = new Map(Object.entries(lexicon.words));
    const phrases = lexicon.groups.flatMap((group, index) => group.map((expression) => ({ words: words(expression), group: index })));
    // Longest first: "carte bancaire" is matched before "carte".
    phrases.sort((a, b) => b.words.length - a.words.length);
    const byLength = new Map<number, string[]>();
    for (const word of known.keys()) {
      if (word.length < 4 || /^\d+$/.test(word)) continue;
      const list = byLength.get(word.length) ?? [];
      list.push(word);
      byLength.set(word.length, list);
    }
    // Synonyms' single words can be corrected to as well ("texot" → "texto").
    for (const phrase of phrases) {
      const [word] = phrase.words;
      if (phrase.words.length !== 1 || !word || known.has(word) || word.length < 4) continue;
      const list = byLength.get(word.length) ?? [];
      list.push(word);
      byLength.set(word.length, list);
    }
    ready = { words: known, phrases, byLength };
    prepared.set(lexicon, ready);
  }
  return ready;
}

/** The content's word nearest to `word` within its tolerance (the most frequent on a tie). */
function nearest(word: string, lexicon: Prepared): string | undefined {
  const limit = tolerance(word.length);
  if (limit === 0) return undefined;
  let best: string | undefined;
  let bestDistance = limit + 1;
  let bestCount = -1;
  for (let length = word.length - limit; length <= word.length + limit; length += 1) {
    for (const candidate of lexicon.byLength.get(length) ?? []) {
      // The first letter is rarely the one mistyped: it narrows the search a great deal.
      if (candidate[0] !== word[0] && limit < 2) continue;
      // A short word is only corrected for a letter missing or added ("lour", "pase"): one
      // letter changed in it makes another real word ("vois", "vous") too often.
      if (word.length < 5 && candidate.length === word.length) continue;
      const d = distance(word, candidate);
      if (d > limit) continue;
      const count = lexicon.words.get(candidate) ?? 0;
      if (d < bestDistance || (d === bestDistance && count > bestCount)) {
        best = candidate;
        bestDistance = d;
        bestCount = count;
      }
    }
  }
  return best;
}

const isKnown = (word: string, lexicon: Prepared) => lexicon.words.has(word) || lexicon.phrases.some((p) => p.words.length === 1 && p.words[0] === word);

/** Whether some word of the content starts with `word` (a word still being typed). */
const startsAWord = (word: string, lexicon: Prepared) => word.length >= 3 && [...lexicon.words.keys()].some((known) => known.startsWith(word));

/** An expression as Pagefind should search it: each word spelt as in the content. */
const spelt = (expression: string, lexicon: Lexicon) =>
  expression
    .split(' ')
    .map((word) => lexicon.forms[word] ?? word)
    .join(' ');

/** Whether the content holds every meaningful word of an expression (Pagefind guesses at the others, badly). */
const holds = (expression: string, ready: Prepared) => {
  const all = expression.split(' ');
  const meaningful = all.filter((word) => !isStopWord(word));
  // An expression of filler words only says something when it has several ("où en est").
  return (meaningful.length > 0 || all.length > 2) && meaningful.every((word) => ready.words.has(word));
};

/** A group's expressions that the content holds, spelt as in the content. */
function searchable(group: string[], lexicon: Lexicon, ready: Prepared): string[] {
  return [...new Set(group.filter((expression) => holds(expression, ready)).map((expression) => spelt(expression, lexicon)))];
}

/**
 * Reads `query` against `lexicon`. `exact`: no corrections (the reader asked for their own
 * words). The last word may be unfinished (as the reader types): a word that starts words of
 * the content is searched as it is (Pagefind completes it). Concepts the content cannot answer
 * (no word of theirs is in it) are left out.
 */
export function understand(query: string, lexicon: Lexicon, { exact = false } = {}): Understood {
  const ready = prepare(lexicon);
  // Glued elisions: "narrive" is "n’arrive" when the content knows "arrive" and not "narrive".
  const typed = words(query.slice(0, 200)).map((word) => {
    const glued = ELIDED.exec(word);
    return glued && !isKnown(word, ready) && isKnown(glued[2]!, ready) ? glued[2]! : word;
  });
  const concepts: Concept[] = [];
  const add = (concept: Concept) => {
    // The same group reached twice ("aveugle, lecteur d’écran") is one concept.
    const key = [...concept.alternatives].sort().join('|');
    if (concept.alternatives.length > 0 && !concepts.some((c) => [...c.alternatives].sort().join('|') === key)) concepts.push(concept);
  };
  /** Words left once the synonyms' expressions are taken, with where they were. */
  const rest: { word: string; at: number }[] = [];
  for (let at = 0; at < typed.length; ) {
    const phrase = ready.phrases.find((p) => p.words.every((word, i) => typed[at + i] === word));
    if (phrase) {
      add({ typed: phrase.words.join(' '), alternatives: searchable(lexicon.groups[phrase.group]!, lexicon, ready) });
      at += phrase.words.length;
    } else {
      rest.push({ word: typed[at]!, at });
      at += 1;
    }
  }
  const meaningful = rest.filter(({ word }) => !isStopWord(word) && (word.length > 1 || /\d/.test(word)));
  // A query of filler words only ("comment faire") is searched as it is.
  const kept = concepts.length === 0 && meaningful.length === 0 ? rest : meaningful;
  const corrections = new Map<number, string>();
  for (const { word, at } of kept) {
    const last = at === typed.length - 1;
    if (ready.words.has(word) || exact) {
      add({ typed: word, alternatives: [spelt(word, lexicon)] });
      continue;
    }
    if (last && startsAWord(word, ready)) {
      add({ typed: word, alternatives: [word] });
      continue;
    }
    const correction = exact ? undefined : nearest(word, ready);
    if (!correction) continue;
    // A corrected word may belong to a group of synonyms.
    const group = ready.phrases.find((p) => p.words.length === 1 && p.words[0] === correction)?.group;
    add({ typed: word, alternatives: group === undefined ? [spelt(correction, lexicon)] : searchable(lexicon.groups[group]!, lexicon, ready), correction });
    if (!sameRoot(word, correction)) corrections.set(at, spelt(correction, lexicon));
  }
  return {
    concepts,
    // Spelt as the content spells it ("prelevemnt" → "prélèvement").
    corrected: corrections.size > 0 ? typed.map((word, at) => corrections.get(at) ?? lexicon.forms[word] ?? word).join(' ') : undefined,
  };
}
