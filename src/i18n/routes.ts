/**
 * Every public route, per locale. Pages and links are built from here so that a renamed
 * route cannot leave a dead link behind, and the content link checker knows what exists.
 */
export const LOCALES = ['fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const routes = {
  home: { fr: '/', en: '/en/' },
  faq: { fr: '/faq/', en: '/en/faq/' },
  topics: { fr: '/themes/', en: '/en/topics/' },
  tutorials: { fr: '/tutoriels/', en: '/en/tutorials/' },
  search: { fr: '/recherche/', en: '/en/search/' },
  help: { fr: '/aide/', en: '/en/help/' },
  places: { fr: '/aide/lieux/', en: '/en/help/places/' },
  glossary: { fr: '/glossaire/', en: '/en/glossary/' },
  accessibility: { fr: '/accessibilite/', en: '/en/accessibility/' },
  personalData: { fr: '/donnees-personnelles/', en: '/en/personal-data/' },
  legal: { fr: '/mentions-legales/', en: '/en/legal-notice/' },
  settings: { fr: '/parametres-affichage/', en: '/en/display-settings/' },
  feedback: { fr: '/avis/', en: '/en/feedback/' },
  request: { fr: '/demande/', en: '/en/request/' },
  track: { fr: '/suivi/', en: '/en/track/' },
  results: { fr: '/resultats/', en: '/en/results/' },
  announcements: { fr: '/annonces/', en: '/en/announcements/' },
  knownProblems: { fr: '/problemes-connus/', en: '/en/known-problems/' },
  chat: { fr: '/discuter/', en: '/en/chat/' },
} as const satisfies Record<string, Record<Locale, string>>;

export type RouteName = keyof typeof routes;

/** Sub-path of the easy-to-read version of a tutorial. */
export const EASY_READ_SEGMENT: Record<Locale, string> = { fr: 'facile/', en: 'easy-read/' };

export function pathTo(name: RouteName, locale: Locale): string {
  return routes[name][locale];
}

export const faqPath = (locale: Locale, slug: string) => `${routes.faq[locale]}${slug}/`;
export const topicPath = (locale: Locale, topic: string) => `${routes.topics[locale]}${topic}/`;
export const tutorialPath = (locale: Locale, slug: string) => `${routes.tutorials[locale]}${slug}/`;
export const easyReadPath = (locale: Locale, slug: string) => `${tutorialPath(locale, slug)}${EASY_READ_SEGMENT[locale]}`;

/** A request's private page: the token is the only key to it. */
/** A published evaluation survey's public link. */
export const surveyPath = (locale: Locale, slug: string) => `${locale === 'fr' ? '/enquete/' : '/en/survey/'}${slug}/`;
/** The announcements' Atom feed. */
export const announcementsFeedPath = (locale: Locale) => `${routes.announcements[locale]}${locale === 'fr' ? 'flux.xml' : 'feed.xml'}`;
export const trackPath = (locale: Locale, token: string) => `${routes.track[locale]}${token}/`;
/** A chat's live page, under its request's private link. */
export const chatPath = (locale: Locale, token: string) => `${trackPath(locale, token)}${locale === 'fr' ? 'discussion/' : 'chat/'}`;

export function localeFromPath(pathname: string): Locale {
  return pathname === '/en' || pathname.startsWith('/en/') ? 'en' : 'fr';
}

/** Splits a content entry id such as `fr/mot-de-passe-perdu` into locale and slug. */
export function splitId(id: string): { locale: Locale; slug: string } {
  const [locale, ...rest] = id.split('/');
  if (locale !== 'fr' && locale !== 'en') throw new Error(`Content id "${id}" must start with fr/ or en/`);
  return { locale, slug: rest.join('/') };
}

export const otherLocale = (locale: Locale): Locale => (locale === 'fr' ? 'en' : 'fr');
