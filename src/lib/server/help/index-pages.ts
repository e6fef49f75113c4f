/**
 * What the search index holds for each help page: the text inside the page's
 * `data-pagefind-body`, without the parts marked `data-pagefind-ignore` (the page components
 * in src/components/pages/ show the same fields in the same order). Built from the published
 * content, without rendering the pages themselves.
 */
import { easyReadPath, faqPath, LOCALES, type Locale, routes, tutorialPath, useTranslations } from '../../../i18n';
import { escapeHtml as escape, inlineMarkdown } from '../../inline-markdown';
import { placeHours } from '../../places';
import { forStaff, type HelpItem, type HelpSnapshot, itemHtml } from './published';

/** This module's file (a chunk of the build): what the index's name says of the code that writes its pages. */
export const INDEX_PAGES_MODULE = import.meta.url;

export interface IndexPage {
  url: string;
  html: string;
}


/**
 * Pagefind splits words at a straight apostrophe but not at a typographic one, which French
 * text uses throughout ("l’école"): pages are indexed with straight ones (excerpts get theirs
 * back in src/lib/search/excerpt.ts).
 */
const document = (locale: Locale, body: string) => `<!doctype html><html lang="${locale}"><body><main data-pagefind-body>${body}</main></body></html>`.replaceAll('’', "'");
const keywords = (words: string[]) => (words.length > 0 ? `<p hidden data-pagefind-weight="2">${escape(words.join(' · '))}</p>` : '');
const paragraphs = (text: string) => text.split(/\n\s*\n/);

function faqPage(t: ReturnType<typeof useTranslations>, entry: HelpItem<'faq'>): IndexPage {
  const { data } = entry;
  const procedures = data.procedures.length > 0 ? `<h2>${escape(t('faq.procedures'))}</h2><ul>${data.procedures.map((p) => `<li>${escape(p)}</li>`).join('')}</ul>` : '';
  return { url: faqPath(entry.locale, entry.slug), html: document(entry.locale, `<article><h1>${escape(data.question)}</h1>${keywords(data.keywords)}${itemHtml(entry)}${procedures}</article>`) };
}

function tutorialPages(t: ReturnType<typeof useTranslations>, tutorial: HelpItem<'tutorial'>): IndexPage[] {
  const { data, locale, slug } = tutorial;
  const steps = data.steps
    .map(
      (step) =>
        `<li><h3>${escape(step.title)}</h3>${paragraphs(step.text)
          .map((p) => `<p>${inlineMarkdown(p)}</p>`)
          .join('')}${step.image ? `<figure><img src="${escape(step.image.src)}" alt="${escape(step.image.alt)}"></figure>` : ''}</li>`,
    )
    .join('');
  const pages = [
    {
      url: tutorialPath(locale, slug),
      html: document(
        locale,
        `<article><h1>${escape(data.title)}</h1>${keywords(data.keywords)}<p>${escape(data.summary)}</p>${itemHtml(tutorial)}<h2>${escape(t('tutorials.steps'))}</h2><ol>${steps}</ol></article>`,
      ),
    },
  ];
  if (data.easyRead) {
    const easySteps = data.easyRead.steps
      .map((step, index) => `<li><p>${escape(t('tutorials.stepNumber', { number: index + 1 }))}</p><img src="${escape(step.image.src)}" alt="${escape(step.image.alt)}"><p>${escape(step.text)}</p></li>`)
      .join('');
    pages.push({
      url: easyReadPath(locale, slug),
      html: document(locale, `<article><h1>${escape(t('tutorials.easyReadTitle', { title: data.title }))}</h1><p>${escape(data.easyRead.intro)}</p><ol>${easySteps}</ol></article>`),
    });
  }
  return pages;
}

function glossaryPage(t: ReturnType<typeof useTranslations>, locale: Locale, terms: HelpItem<'glossary'>[]): IndexPage {
  const list = terms
    .map(
      (term) =>
        `<dt id="${term.slug}">${escape(term.data.term)}</dt><dd>${term.data.abbreviationOf ? `<p>${escape(t('glossary.abbreviationOf', { full: term.data.abbreviationOf }))}</p>` : ''}<p>${escape(term.data.definition)}</p></dd>`,
    )
    .join('');
  return { url: routes.glossary[locale], html: document(locale, `<h1>${escape(t('glossary.title'))}</h1><p>${escape(t('glossary.intro'))}</p><dl>${list}</dl>`) };
}

function placesPage(t: ReturnType<typeof useTranslations>, locale: Locale, places: HelpItem<'place'>[]): IndexPage {
  const hours = placeHours(locale, t);
  const list = places
    .map(({ data }) => {
      const notes = data.notes ? `<p>${escape(data.notes[locale] ?? data.notes.fr)}</p>` : '';
      return `<li><h2>${escape(data.name)}</h2><p>${escape(t(`places.kind.${data.kind}`))}${data.appointmentOnly ? ` ${escape(t('places.appointmentOnly'))}` : ''}</p><dl><dt>${escape(t('places.address'))}</dt><dd>${escape(`${data.address.street}, ${data.address.postcode} ${data.address.city}`)}</dd><dt>${escape(t('places.hours'))}</dt><dd><ul>${data.hours.map((h) => `<li>${escape(hours(h))}</li>`).join('')}</ul></dd>${data.phone ? `<dt>${escape(t('places.phone'))}</dt><dd>${escape(data.phone)}</dd>` : ''}${data.email ? `<dt>${escape(t('places.email'))}</dt><dd>${escape(data.email)}</dd>` : ''}<dt>${escape(t('places.access'))}</dt><dd>${escape(data.stepFreeAccess ? t('places.stepFree') : t('places.notStepFree'))}</dd><dt>${escape(t('places.services'))}</dt><dd><ul>${data.services.map((s) => `<li>${escape(t(`places.service.${s}`))}</li>`).join('')}</ul></dd></dl>${notes}</li>`;
    })
    .join('');
  return { url: routes.places[locale], html: document(locale, `<h1>${escape(t('places.title'))}</h1><p>${escape(t('places.intro'))}</p><ul>${list}</ul>`) };
}

/** Every page the search finds, in a stable order. */
export function indexPages(snapshot: HelpSnapshot): IndexPage[] {
  const pages: IndexPage[] = [];
  const sorted = [...snapshot.items].sort((a, b) => a.kind.localeCompare(b.kind) || a.locale.localeCompare(b.locale) || a.slug.localeCompare(b.slug));
  for (const locale of LOCALES) {
    const t = useTranslations(locale);
    // Internal help for staff is never in the residents' index.
    const mine = sorted.filter((item) => item.locale === locale && !forStaff(item));
    for (const item of mine) {
      if (item.kind === 'faq') pages.push(faqPage(t, item as HelpItem<'faq'>));
      else if (item.kind === 'tutorial') pages.push(...tutorialPages(t, item as HelpItem<'tutorial'>));
    }
    const terms = mine.filter((item): item is HelpItem<'glossary'> => item.kind === 'glossary').sort((a, b) => a.data.term.localeCompare(b.data.term, locale));
    pages.push(glossaryPage(t, locale, terms));
    const places = sorted.filter((item): item is HelpItem<'place'> => item.kind === 'place').sort((a, b) => a.data.name.localeCompare(b.data.name, 'fr'));
    pages.push(placesPage(t, locale, places));
  }
  return pages;
}
