/**
 * The help pages an agent's reply links to (FAQ entries and tutorials of this portal, in
 * either language), as the content collections name them: `faq` + `fr/carte-refusee`.
 */
const LINK = /(?:https?:\/\/([^/\s]+))?\/(en\/)?(faq|tutoriels|tutorials)\/([a-z0-9-]{1,150})\//g;

export function helpLinks(body: string, origin: string): { collection: 'faq' | 'tutorials'; articleId: string }[] {
  const host = new URL(origin).host;
  const found = new Map<string, { collection: 'faq' | 'tutorials'; articleId: string }>();
  for (const match of body.matchAll(LINK)) {
    // A link to another site that happens to have a /faq/ page is not one of ours.
    if (match[1] !== undefined && match[1] !== host) continue;
    if (match[1] === undefined && match.index > 0 && !/[\s(<"'«]/.test(body[match.index - 1]!)) continue;
    const english = match[2] !== undefined;
    if ((match[3] === 'tutorials') !== english && match[3] !== 'faq') continue; // /tutoriels/ is French, /en/tutorials/ English
    const collection = match[3] === 'faq' ? 'faq' : 'tutorials';
    const articleId = `${english ? 'en' : 'fr'}/${match[4]}`;
    found.set(`${collection}:${articleId}`, { collection, articleId });
  }
  return [...found.values()];
}
