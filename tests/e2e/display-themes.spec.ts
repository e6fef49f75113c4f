import { expect, test } from '@playwright/test';
import { axeViolations } from './helpers';

/**
 * The display settings must not break accessibility: every theme keeps its contrast, and large
 * text or wide spacing loses no content (WCAG 1.4.4, 1.4.12). Checked on one page of each kind.
 */
const pages = ['/', '/faq/carte-refusee/', '/tutoriels/creer-son-compte/facile/', '/aide/lieux/', '/recherche/?q=carte', '/en/glossary/', '/demande/demarche/', '/suivi/'];
const settings = ['t100.clight.snormal.mauto', 't100.cdark.snormal.mauto', 't100.ccontrast.snormal.mreduce', 't200.cauto.swide.mauto'];

// A small phone's width: the reflow case of WCAG 1.4.10.
test.use({ viewport: { width: 320, height: 640 } });

for (const value of settings) {
  test(`pages stay accessible with display settings ${value}`, async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'guichet_affichage', value, url: baseURL! }]);
    const problems: string[] = [];
    for (const path of pages) {
      await page.goto(path);
      for (const v of await axeViolations(page)) problems.push(`${path}: ${v}`);
      // Nothing wider than the screen: large text reflows instead of being cut off.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 1) problems.push(`${path}: ${overflow}px of horizontal scrolling`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
}

test('a dark device gets the dark theme unless the reader chose otherwise', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ colorScheme: 'dark', baseURL });
  const page = await context.newPage();
  await page.goto('/faq/');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(18, 20, 23)');
  await context.addCookies([{ name: 'guichet_affichage', value: 't100.clight.snormal.mauto', url: baseURL! }]);
  await page.reload();
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(255, 255, 255)');
  await context.close();
});
