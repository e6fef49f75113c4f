import { getEntry } from 'astro:content';
import type { HelpKind } from '../../../db/schema';
import { EASY_READ_SEGMENT, faqPath, type Locale, otherLocale, routes, splitId, tutorialPath } from '../../i18n/routes';
import type { Lexicon } from '../search/understand';
import { buildLexicon } from '../search/understand';
import { forStaff, type HelpItem, type HelpSnapshot, itemHtml, itemKey, publishedHelp } from './help/published';
import { createIndex, plainText } from '../text-search';

/**
 * Read access to the help content, shared by the pages. Entries are sorted the way readers
 * meet them, and translations are paired through `translationOf` (the French slug).
 */

export type FaqEntry = HelpItem<'faq'>;
export type Tutorial = HelpItem<'tutorial'>;
export type Topic = HelpItem<'topic'>;

export const slugOf = (entry: { id: string }) => splitId(entry.id).slug;

const memo = new WeakMap<HelpSnapshot, Map<string, unknown>>();
/** Lists are derived once per published snapshot (the content changes only when one is published). */
async function once<T>(key: string, derive: (snapshot: HelpSnapshot) => T | Promise<T>): Promise<T> {
  const snapshot = await publishedHelp();
  let values = memo.get(snapshot);
  if (!values) memo.set(snapshot, (values = new Map()));
  if (!values.has(key)) values.set(key, derive(snapshot));
  return values.get(key) as Promise<T>;
}

/** The entries residents see (internal help for staff is left out: see staffHelp). */
function ofKind<K extends HelpKind>(snapshot: HelpSnapshot, kind: K, locale?: Locale): HelpItem<K>[] {
  return snapshot.items.filter((item): item is HelpItem<K> => item.kind === kind && (!locale || item.locale === locale) && !forStaff(item));
}

/** Internal help: the FAQ entries and tutorials written for the authority's staff, in both languages. */
export function staffHelp(): Promise<(FaqEntry | Tutorial)[]> {
  return once('staff', (snapshot) =>
    snapshot.items
      .filter((item): item is FaqEntry | Tutorial => forStaff(item))
      .sort((a, b) => staffTitle(a).localeCompare(staffTitle(b), 'fr')),
  );
}
export const staffTitle = (item: FaqEntry | Tutorial) => (item.kind === 'faq' ? (item as FaqEntry).data.question : (item as Tutorial).data.title);

/** The sanitised HTML of an FAQ entry's or tutorial's markdown body. */
export const bodyHtml = (entry: FaqEntry | Tutorial) => itemHtml(entry);

export async function authority() {
  const entry = await getEntry('site', 'authority');
  if (!entry) throw new Error('content/authority.json is missing: it holds the name, logo and colours of the authority');
  return entry.data;
}

export function topics(locale: Locale): Promise<Topic[]> {
  return once(`topics:${locale}`, (snapshot) => {
    const all = ofKind(snapshot, 'topic');
    const own = all.filter((t) => t.locale === locale);
    // A topic not yet translated still appears, under its French title.
    const fallback = all.filter((t) => t.locale === 'fr' && !own.some((o) => o.slug === t.slug));
    return [...own, ...fallback].sort((a, b) => a.data.order - b.data.order || a.data.title.localeCompare(b.data.title));
  });
}

export function faqEntries(locale: Locale): Promise<FaqEntry[]> {
  return once(`faq:${locale}`, (snapshot) =>
    ofKind(snapshot, 'faq', locale).sort((a, b) => a.data.question.localeCompare(b.data.question, locale)),
  );
}

export function tutorials(locale: Locale): Promise<Tutorial[]> {
  return once(`tutorials:${locale}`, (snapshot) =>
    ofKind(snapshot, 'tutorial', locale).sort((a, b) => a.data.title.localeCompare(b.data.title, locale)),
  );
}

/** French entries with no English translation, for the English fallback lists. */
export async function untranslatedFaq(): Promise<FaqEntry[]> {
  const translated = new Set((await faqEntries('en')).map((e) => e.data.translationOf).filter(Boolean));
  return (await faqEntries('fr')).filter((e) => !translated.has(slugOf(e)));
}

export async function untranslatedTutorials(): Promise<Tutorial[]> {
  const translated = new Set((await tutorials('en')).map((e) => e.data.translationOf).filter(Boolean));
  return (await tutorials('fr')).filter((e) => !translated.has(slugOf(e)));
}

/**
 * The same page in the other language: its path, or null when it is not translated
 * (the language switch then leads to the section's start page and says so).
 */
export async function counterpart(collection: 'faq' | 'tutorials', entry: FaqEntry | Tutorial): Promise<string | null> {
  const { locale, slug } = splitId(entry.id);
  const other = otherLocale(locale);
  const path = collection === 'faq' ? faqPath : tutorialPath;
  if (locale === 'en') return entry.data.translationOf ? path('fr', entry.data.translationOf) : null;
  const list = collection === 'faq' ? await faqEntries(other) : await tutorials(other);
  const match = list.find((e) => e.data.translationOf === slug);
  return match ? path(other, slugOf(match)) : null;
}

export async function glossary(locale: Locale) {
  return once(`glossary:${locale}`, (snapshot) =>
    ofKind(snapshot, 'glossary', locale).sort((a, b) => a.data.term.localeCompare(b.data.term, locale)),
  );
}

export function places() {
  return once('places', (snapshot) => ofKind(snapshot, 'place').sort((a, b) => a.data.name.localeCompare(b.data.name, 'fr')));
}

export async function page(locale: Locale, name: string) {
  const entry = (await getEntry('pages', `${locale}/${name}`)) ?? (await getEntry('pages', `fr/${name}`));
  if (!entry) throw new Error(`content/pages/fr/${name}.md is missing`);
  return entry;
}

/** The FAQ entry or tutorial with this id, or undefined for anything else a form may post. */
export async function findArticle(collection: 'faq' | 'tutorials', id: string): Promise<FaqEntry | Tutorial | undefined> {
  if (!/^(fr|en)\/[a-z0-9-]{1,150}$/.test(id)) return undefined;
  const { locale, slug } = splitId(id);
  return (await publishedHelp()).byKey.get(itemKey(collection === 'faq' ? 'faq' : 'tutorial', locale, slug)) as FaqEntry | Tutorial | undefined;
}

/** Whether feedback may be recorded for this article (used by the feedback action). */
export const articleExists = async (collection: 'faq' | 'tutorials', id: string) => (await findArticle(collection, id)) !== undefined;

/** The easy-to-read page of the other language's version, when there is one. */
export async function easyReadAlternate(tutorial: Tutorial): Promise<string | null> {
  const match = await counterpart('tutorials', tutorial);
  if (!match) return null;
  const other = otherLocale(tutorial.locale);
  const twin = (await tutorials(other)).find((t) => tutorialPath(other, t.slug) === match);
  return twin?.data.easyRead ? match + EASY_READ_SEGMENT[other] : null;
}

/** Paths of the easy-to-read pages of a locale, each with its counterpart when that one has an easy-to-read version too. */
export async function easyReadTutorials(locale: Locale) {
  const other = otherLocale(locale);
  const otherEasy = new Set((await tutorials(other)).filter((t) => t.data.easyRead).map((t) => tutorialPath(other, slugOf(t))));
  const list = (await tutorials(locale)).filter((t) => t.data.easyRead);
  return Promise.all(
    list.map(async (tutorial) => {
      const match = await counterpart('tutorials', tutorial);
      const alternate = match && otherEasy.has(match) ? match + EASY_READ_SEGMENT[other] : null;
      return { params: { slug: slugOf(tutorial) }, props: { tutorial, alternate } };
    }),
  );
}

/** The help content of a locale as plain-text documents, for the search that needs no JavaScript. */
export function searchDocuments(locale: Locale) {
  return once(`search:${locale}`, async () => {
    const [faq, guides, terms] = await Promise.all([faqEntries(locale), tutorials(locale), glossary(locale)]);
    return createIndex([
      ...faq.map((e) => ({ url: faqPath(locale, slugOf(e)), title: e.data.question, text: plainText(e.body ?? '') })),
      ...guides.map((e) => ({
        url: tutorialPath(locale, slugOf(e)),
        title: e.data.title,
        text: plainText([e.data.summary, e.body ?? '', ...e.data.steps.map((s) => `${s.title}. ${s.text}`)].join(' ')),
      })),
      ...terms.map((e) => ({ url: `${routes.glossary[locale]}#${slugOf(e)}`, title: e.data.term, text: e.data.definition })),
    ]);
  });
}

/** The FAQ entries alone, indexed once: what a request's description is matched against. */
export function faqSearchDocuments(locale: Locale) {
  return once(`search-faq:${locale}`, async () => (await searchDocuments(locale)).filter((d) => d.url.startsWith(routes.faq[locale])));
}

/**
 * What the search reads queries against (src/lib/search/understand.ts): every word of the help
 * content with its count, the entries' search keywords, and the authority's synonyms. Served
 * with the site for the browser (/recherche/lexique.json) and read by the server's search.
 */
export function searchLexicon(locale: Locale): Promise<Lexicon> {
  return once(`lexicon:${locale}`, async () => {
    const [documents, faq, guides, synonyms] = await Promise.all([searchDocuments(locale), faqEntries(locale), tutorials(locale), getEntry('synonyms', 'synonyms')]);
    const texts = [...documents.map((d) => `${d.title} ${d.text}`), ...[...faq, ...guides].flatMap((e) => e.data.keywords)];
    return buildLexicon(texts, synonyms?.data[locale] ?? [], documents.length);
  });
}
