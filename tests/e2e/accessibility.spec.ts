import { expect, test } from '@playwright/test';
import { axeViolations, sitemapPaths } from './helpers';

/**
 * Every page of the sitemap, in both languages: no axe violation at the WCAG 2.2 A/AA tags,
 * exactly one h1, the help link first in the header, and a skip link that is the first thing
 * the keyboard reaches and that moves focus to the content.
 */
for (const locale of ['fr', 'en'] as const) {
  test(`every ${locale} page of the sitemap is accessible`, async ({ page }) => {
    test.setTimeout(240_000);
    const all = await sitemapPaths(page);
    const paths = all.filter((p) => (locale === 'en' ? p.startsWith('/en/') : !p.startsWith('/en/')));
    expect(paths.length).toBeGreaterThan(locale === 'fr' ? 60 : 25);
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
      const help = await page.locator('header .g-tools li:first-child a').getAttribute('href');
      if (help !== (locale === 'fr' ? '/aide/' : '/en/help/')) problems.push(`${path}: the first header link is ${help}, not the help page`);
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
