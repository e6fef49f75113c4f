import { expect, test } from '@playwright/test';
import { axeViolations } from './helpers';

/**
 * Search without JavaScript as residents type, and the way to a person when it fails: typos
 * and missing accents, a query that finds nothing, large text on a small phone.
 */
const LARGE_TEXT = 't200.cauto.snormal.mauto';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a query with a typo and no accents finds its entry, says what it searched, and offers the exact words', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Rechercher dans l’aide').fill('prelevemnt automatique');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page.getByRole('status')).toContainText('pour «\u00a0prélèvement automatique\u00a0»');
    await expect(page.locator('#search-results li > a').first()).toHaveAttribute('href', '/faq/prelevement-automatique/');
    const exact = page.getByRole('link', { name: 'Rechercher plutôt «\u00a0prelevemnt automatique\u00a0»' });
    await exact.click();
    await expect(page).toHaveURL(/exact=1/);
    await expect(page.locator('#search-corrected')).toBeHidden();
    await expect(page.getByRole('status')).toContainText('«\u00a0prelevemnt automatique\u00a0»');
  });

  test('abbreviations and everyday words find the entry that uses the administration’s words', async ({ page }) => {
    for (const [query, path] of [
      ['ma cb marche pas', '/faq/carte-refusee/'],
      ['mdp oublié', '/faq/mot-de-passe-oublie/'],
      ['pas recu le texto', '/faq/code-sms-non-recu/'],
      ['je narrive plus a me connecter', '/faq/compte-bloque/'],
    ]) {
      await page.goto(`/recherche/?${new URLSearchParams({ q: query! })}`);
      const firstThree = await page.locator('#search-results li > a').evaluateAll((links) => links.slice(0, 3).map((a) => a.getAttribute('href')));
      expect(firstThree, query).toContain(path);
    }
  });

  test('a query that finds nothing offers the request form and a number to call, in both languages', async ({ page }) => {
    await page.goto('/recherche/?q=zzzyyyxxx');
    await expect(page.getByRole('status')).toContainText('Aucun résultat pour «\u00a0zzzyyyxxx\u00a0»');
    const help = page.locator('#search-none-help');
    await expect(help.getByRole('link', { name: 'Signaler un blocage' })).toHaveAttribute('href', '/demande/');
    await expect(help.locator('a[href^="tel:"]')).toHaveAttribute('href', 'tel:0380001234');
    // The same at the end of the page, as on every help page.
    await expect(page.getByRole('region', { name: 'Toujours bloqué ?' }).locator('a[href^="tel:"]')).toBeVisible();
    // A search that found something does not show the line under its status.
    await page.goto('/recherche/?q=cantine');
    await expect(page.locator('#search-none-help')).toBeHidden();
    await page.goto('/en/search/?q=zzzyyyxxx');
    await expect(page.locator('#search-none-help').getByRole('link', { name: 'Report a problem' })).toHaveAttribute('href', '/en/request/');
  });

  test('FAQ entries, tutorials and their easy-to-read version end with the way to a person', async ({ page }) => {
    for (const path of ['/faq/carte-refusee/', '/tutoriels/creer-son-compte/', '/tutoriels/creer-son-compte/facile/', '/en/faq/card-refused/']) {
      await page.goto(path);
      const block = page.locator('.g-stuck');
      await expect(block.locator('a[href^="tel:"]'), path).toBeVisible();
      await expect(block.locator('a[href$="/demande/"], a[href$="/en/request/"]'), path).toBeVisible();
    }
    // The easy-to-read version numbers its steps in words.
    await page.goto('/tutoriels/creer-son-compte/facile/');
    await expect(page.locator('.g-steps > li').first()).toContainText('Étape 1');
    await expect(page.locator('.g-steps > li').nth(1)).toContainText('Étape 2');
  });

  test('on a phone, the home page shows the request form’s link and the phone number within the first screen', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/');
    for (const link of [page.getByRole('link', { name: 'Signaler un blocage' }).first(), page.locator('main a[href^="tel:"]').first()]) {
      const box = await link.boundingBox();
      expect(box && box.y + box.height).toBeLessThanOrEqual(844);
    }
  });

  test('on a phone the menu folds behind a button that works without JavaScript; on a wide screen it is shown', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/faq/');
    const tutorials = page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Tutoriels' });
    await expect(tutorials).toBeHidden();
    const header = await page.locator('header').boundingBox();
    expect(header!.height / 844).toBeLessThan(0.16);
    await page.getByText('Menu', { exact: true }).click();
    await tutorials.click();
    await expect(page).toHaveURL(/\/tutoriels\/$/);
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect(page.getByText('Menu', { exact: true })).toBeHidden();
    await expect(page.getByRole('link', { name: 'Besoin d’aide ?' })).toBeVisible();
  });
});

test.describe('large text on a small phone', () => {
  // axe runs as a script in the page: these pages are the server's answers all the same.
  test.use({ viewport: { width: 320, height: 640 } });

  test('the results, corrected-query and no-result pages have no axe violation at 320 px and 200 % text', async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: 'guichet_affichage', value: LARGE_TEXT, url: baseURL! }]);
    const problems: string[] = [];
    for (const path of ['/recherche/?q=carte+bancaire', '/recherche/?q=cantinne', '/recherche/?q=zzzyyyxxx', '/en/search/?q=pasword', '/en/search/?q=zzzyyyxxx']) {
      await page.goto(path);
      for (const violation of await axeViolations(page)) problems.push(`${path}: ${violation}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 1) problems.push(`${path}: ${overflow}px of horizontal scrolling`);
    }
    await page.goto('/recherche/?q=cantinne');
    await expect(page.locator('#search-corrected a')).toBeVisible();
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

test('at 390 px and 200 % text, every radio button and check box is at least 24 px', async ({ page, context, baseURL }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await context.addCookies([{ name: 'guichet_affichage', value: LARGE_TEXT, url: baseURL! }]);
  const small: string[] = [];
  let seen = 0;
  for (const path of ['/parametres-affichage/', '/demande/demarche/', '/demande/probleme/', '/demande/qui/', '/demande/identite/', '/demande/reponse/', '/demande/verification/', '/faq/carte-refusee/']) {
    await page.goto(path);
    const boxes = await page.locator('input[type=radio], input[type=checkbox]').evaluateAll((inputs) =>
      inputs.map((input) => {
        const { width, height } = input.getBoundingClientRect();
        return { name: `${(input as HTMLInputElement).name}=${(input as HTMLInputElement).value}`, width, height };
      }),
    );
    seen += boxes.length;
    for (const box of boxes) if (box.width < 24 || box.height < 24) small.push(`${path} ${box.name}: ${box.width.toFixed(1)}×${box.height.toFixed(1)}`);
  }
  expect(seen).toBeGreaterThan(15);
  expect(small, small.join('\n')).toEqual([]);
});

test('a tutorial offers a Print button where a script can print, and only there', async ({ browser, baseURL }) => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser.newContext({ baseURL, javaScriptEnabled });
    const page = await context.newPage();
    await page.goto('/tutoriels/creer-son-compte/');
    const button = page.getByRole('button', { name: 'Imprimer' });
    if (javaScriptEnabled) await expect(button).toBeVisible();
    else await expect(button).toBeHidden();
    await context.close();
  }
});
