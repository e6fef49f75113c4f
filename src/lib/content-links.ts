import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { easyReadPath, faqPath, type Locale, LOCALES, routes, topicPath, tutorialPath } from '../i18n/routes';
import { contentDir, idsIn } from './content-paths';

/** The addresses a set of entries gives, with the fixed routes. */
export function knownPathsOf(entries: Iterable<{ kind: string; locale: Locale; slug: string }>): Set<string> {
  const paths = new Set<string>();
  for (const locale of LOCALES) for (const route of Object.values(routes)) paths.add(route[locale]);
  for (const { kind, locale, slug } of entries) {
    if (kind === 'faq') paths.add(faqPath(locale, slug));
    if (kind === 'tutorial') {
      paths.add(tutorialPath(locale, slug));
      paths.add(easyReadPath(locale, slug));
    }
    if (kind === 'topic') paths.add(topicPath(locale, slug));
  }
  return paths;
}

/** Every internal path that the content folder's entries produce (read from the file names). */
export function knownPaths(root = contentDir()): Set<string> {
  const folders = [['faq', 'faq', '.md'], ['tutorial', 'tutorials', '.md'], ['topic', 'topics', '.yaml']] as const;
  return knownPathsOf(LOCALES.flatMap((locale) => folders.flatMap(([kind, dir, extension]) => idsIn(join(root, dir, locale), extension).map((slug) => ({ kind, locale, slug })))));
}

/** Whether an internal URL (starting with `/`) leads to a page that exists. Files (images…) are not checked here. */
export function isKnownInternalUrl(url: string, known: ReadonlySet<string>): boolean {
  if (!url.startsWith('/') || url.startsWith('//')) return true;
  const path = url.split(/[?#]/)[0]!;
  if (/\.[a-z0-9]+$/i.test(path)) return true;
  return known.has(path.endsWith('/') ? path : `${path}/`);
}

/** Internal link targets of markdown links (`[text](/path/)` and `[ref]: /path/`) that lead nowhere. */
export function brokenInlineLinks(text: string, known: ReadonlySet<string>): string[] {
  const inline = [...text.matchAll(/\]\((\/[^)\s]*)/g)].map((m) => m[1]!);
  const references = [...text.matchAll(/^\s*\[[^\]]+\]:\s*(\/\S*)/gm)].map((m) => m[1]!);
  return [...inline, ...references].filter((url) => !isKnownInternalUrl(url, known));
}

/**
 * Fails with a message naming the file when the body of a markdown entry links to a page
 * that does not exist, so a dead link stops the build instead of being published.
 */
export function assertBodyLinks(entries: { body?: string; filePath?: string; id: string }[], known: ReadonlySet<string>): void {
  const problems = entries.flatMap((entry) =>
    brokenInlineLinks(entry.body ?? '', known).map((url) => `${entry.filePath ?? entry.id} (body): broken internal link "${url}"`),
  );
  if (problems.length > 0) {
    throw new Error(`Broken internal links in the content; check the slug (the file name in content/):\n- ${problems.join('\n- ')}`);
  }
}

/** The legal pages' markdown bodies (frontmatter removed): help entries are checked with their fields (src/lib/server/help/check-files.ts). */
function markdownBodies(root: string): { id: string; filePath: string; body: string }[] {
  const files: { id: string; filePath: string; body: string }[] = [];
  for (const collection of ['pages']) {
    for (const locale of LOCALES) {
      const dir = join(root, collection, locale);
      for (const slug of idsIn(dir, '.md')) {
        const filePath = join(dir, `${slug}.md`);
        const text = readFileSync(filePath, 'utf8');
        const body = text.startsWith('---') ? text.slice(text.indexOf('\n---', 3) + 4) : text;
        files.push({ id: `${locale}/${slug}`, filePath: relative(process.cwd(), filePath), body });
      }
    }
  }
  return files;
}

/** Checks the legal pages' links; throws naming each file and dead link. */
export function assertContentLinks(root = contentDir()): number {
  const files = markdownBodies(root);
  assertBodyLinks(files, knownPaths(root));
  return files.length;
}
