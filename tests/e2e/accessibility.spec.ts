import { expect, test } from '@playwright/test';
import { axeViolations, sitemapPaths } from './helpers';

/** The sitemap's pages are checked in this many tests per language, run in parallel. */
const SHARDS = 8;
/** What one page may take (load, axe, keyboard) on a slow machine: a test's budget scales with its pages. */
const PER_PAGE_MS = 12_000;

/**
 * Every page of the sitemap, in both languages: no axe violation at the WCAG 2.2 A/AA tags,
 * exactly one h1, the help link first in the header, and a skip link that is the first thing
 * the keyboard reaches and that moves focus to the content.
 */
for (const locale of ['fr', 'en'] as const) {
  test(`the sitemap has every ${locale} page`, async ({ page }) => {
    const all = await sitemapPaths(page);
    expect(all.filter((p) => (locale === 'en' ? p.startsWith('/en/') : !p.startsWith('/en/'))).length).toBeGreaterThan(locale === 'fr' ? 60 : 25);
  });
  for (let shard = 0; shard < SHARDS; shard += 1) {
    test(`every ${locale} page of the sitemap is accessible (part ${shard + 1} of ${SHARDS})`, async ({ page }) => {
      const all = await sitemapPaths(page);
      const paths = all.filter((p) => (locale === 'en' ? p.startsWith('/en/') : !p.startsWith('/en/'))).filter((_, i) => i % SHARDS === shard);
      test.setTimeout(30_000 + paths.length * PER_PAGE_MS);
      const problems: string[] = [];
      for (const path of paths) {
        const response = await page.goto(path);
        if (response?.status() !== 200) {
          problems.push(`${path}: HTTP ${response?.status()}`);
          continue;
        }
        expect(await page.getAttribute('html', 'lang')).toBe(locale);
        for (const v of await axeViolations(page)) problems.push(`${path}: ${v}`);
        // WCAG 3.2.6: help in the same place on every page.
        // WCAG 3.2.6 also for the live chat, beside it.
        const help = await page.locator('header a.g-help-link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        const expected = locale === 'fr' ? ['/aide/', '/discuter/'] : ['/en/help/', '/en/chat/'];
        if (help.join(' ') !== expected.join(' ')) problems.push(`${path}: the header's help links are ${help.join(', ')}, not the help page and the chat`);
        const h1 = await page.locator('h1').count();
        if (h1 !== 1) problems.push(`${path}: ${h1} h1 elements`);
        await page.keyboard.press('Tab');
        const first = await page.evaluate(() => document.activeElement?.getAttribute('href'));
        if (first !== '#contenu') problems.push(`${path}: the first Tab reaches ${first}, not the skip link`);
        await page.keyboard.press('Enter');
        const focused = await page.evaluate(() => document.activeElement?.id);
        if (focused !== 'contenu') problems.push(`${path}: the skip link leaves focus on "${focused}"`);
      }
      expect(problems, problems.join('\n')).toEqual([]);
    });
  }
}
