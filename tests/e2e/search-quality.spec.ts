import { expect, type Page, test } from '@playwright/test';
import { QUESTIONS } from '../search/questions.mjs';

/**
 * The help centre's search held to the resident-style questions of tests/search/questions.mjs:
 * the right page among the first three results for at least 95 % of them, in French and in
 * English, without JavaScript (the server answers) and with it (the browser answers as one
 * types) — and both give the same first three for every question.
 */
const TARGET = 0.95;
const searchPath = (locale: string) => (locale === 'fr' ? '/recherche/' : '/en/search/');
const label = (locale: string) => (locale === 'fr' ? 'Rechercher dans l’aide' : 'Search the help centre');

type Answers = Map<string, string[]>;

async function firstThree(page: Page): Promise<string[]> {
  return page.locator('#search-results:not([hidden]) li > a').evaluateAll((links) => links.slice(0, 3).map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

/** The first three result links of the search page's HTML (`<ol id="search-results">`). */
function resultPaths(html: string): string[] {
  const list = /<ol id="search-results"[^>]*>([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/<li><a href="([^"]+)"/g)].slice(0, 3).map((match) => match[1]!);
}

function score(answers: Answers, locale: string) {
  const set = QUESTIONS.filter((q) => q.locale === locale);
  const missed = set.filter((q) => !(answers.get(q.query) ?? []).some((path) => q.answers.includes(path)));
  return { found: set.length - missed.length, total: set.length, missed: missed.map((q) => `${q.query} → ${(answers.get(q.query) ?? []).join(' ') || 'nothing'}`) };
}

const withoutScript: Record<string, Answers> = { fr: new Map(), en: new Map() };
const withScript: Record<string, Answers> = { fr: new Map(), en: new Map() };

test.describe.configure({ mode: 'serial' });

for (const locale of ['fr', 'en']) {
  test.describe(`in ${locale === 'fr' ? 'French' : 'English'}`, () => {
    test.describe('without JavaScript', () => {
      // The page a browser without JavaScript gets: the server's HTML, read here as it is sent.
      test(`the right page is in the first three for ${TARGET * 100} % of the questions`, async ({ request }) => {
        test.setTimeout(180_000);
        for (const question of QUESTIONS.filter((q) => q.locale === locale)) {
          const response = await request.get(`${searchPath(locale)}?${new URLSearchParams({ q: question.query })}`);
          expect(response.status(), question.query).toBe(200);
          withoutScript[locale]!.set(question.query, resultPaths(await response.text()));
        }
        const { found, total, missed } = score(withoutScript[locale]!, locale);
        console.log(`search without JavaScript, ${locale}: ${found}/${total} (${((100 * found) / total).toFixed(1)} %)${missed.length ? `; missed: ${missed.join('; ')}` : ''}`);
        expect(found / total, missed.join('\n')).toBeGreaterThanOrEqual(TARGET);
      });
    });

    test.describe('with JavaScript', () => {
      test(`the same ${TARGET * 100} %, typed, and the same first three as the server for every question`, async ({ page }) => {
        test.setTimeout(180_000);
        await page.goto(searchPath(locale));
        const field = page.getByLabel(label(locale));
        const app = page.locator('#search-app');
        for (const question of QUESTIONS.filter((q) => q.locale === locale)) {
          await field.fill(question.query);
          await field.press('Enter');
          await expect(app).toHaveAttribute('data-answered', question.query.trim());
          withScript[locale]!.set(question.query, await firstThree(page));
        }
        const { found, total, missed } = score(withScript[locale]!, locale);
        console.log(`search with JavaScript, ${locale}: ${found}/${total} (${((100 * found) / total).toFixed(1)} %)${missed.length ? `; missed: ${missed.join('; ')}` : ''}`);
        expect(found / total, missed.join('\n')).toBeGreaterThanOrEqual(TARGET);
        // The server's answers were gathered by the test before this one (serial).
        const differ = [...withScript[locale]!].filter(([query, paths]) => withoutScript[locale]!.get(query)?.join(' ') !== paths.join(' '));
        expect(differ.map(([query, paths]) => `${query}: ${paths.join(' ')} / ${withoutScript[locale]!.get(query)?.join(' ')}`)).toEqual([]);
      });
    });
  });
}
