import { expect, test } from '@playwright/test';

test('a search for a word of an FAQ entry finds it, in French', async ({ page }) => {
  await page.goto('/recherche/');
  await page.getByLabel('Rechercher dans l’aide').fill('buraliste');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.getByRole('status')).toContainText('pour « buraliste »');
  await expect(page.locator('#search-results a', { hasText: 'Je n’ai pas de carte bancaire' })).toHaveAttribute('href', '/faq/payer-sans-carte-bancaire/');
  // The index is per language: the English entry is not listed on the French page.
  await expect(page.locator('#search-results a[href^="/en/"]')).toHaveCount(0);
});

test('a search for a word of an FAQ entry finds it, in English', async ({ page }) => {
  await page.goto('/en/search/');
  await page.getByLabel('Search the help centre').fill('tobacconist');
  await expect(page.getByRole('status')).toContainText('for “tobacconist”');
  await expect(page.locator('#search-results a', { hasText: 'I do not have a bank card' })).toHaveAttribute('href', '/en/faq/paying-without-a-bank-card/');
});

test('a search that finds nothing says so and offers the topics', async ({ page }) => {
  await page.goto('/recherche/');
  await page.getByLabel('Rechercher dans l’aide').fill('zzzyyyxxx');
  await expect(page.getByRole('status')).toContainText('Aucun résultat pour « zzzyyyxxx »');
  await expect(page.getByRole('heading', { name: 'Parcourir par thème' })).toBeVisible();
});

test('the index loads when the field gets the focus; one letter searches nothing; more than five results arrive, at most twenty', async ({ page }) => {
  await page.goto('/recherche/');
  const field = page.getByLabel('Rechercher dans l’aide');
  const results = page.locator('#search-results li');
  const status = page.getByRole('status');
  // The index starts loading when the reader turns to the field, before the first key.
  const index = page.waitForRequest(/\/pagefind\/[0-9a-f]{20}\/pagefind\/pagefind\.js$/);
  await field.focus();
  await index;
  await field.pressSequentially('v');
  await page.waitForTimeout(600);
  await expect(results).toHaveCount(0);
  await expect(status).toHaveText('');
  // "votre" is on most pages: the first five are shown, the rest once typing has paused.
  await field.pressSequentially('otre');
  await expect(results.first()).toBeVisible();
  await expect(status).toContainText('pour « votre »');
  await expect.poll(() => results.count()).toBeGreaterThan(5);
  expect(await results.count()).toBeLessThanOrEqual(20);
});

test('an FAQ page loads no JavaScript, and the search page loads it only there', async ({ page }) => {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(request.url());
  });
  await page.goto('/faq/carte-refusee/');
  await page.waitForLoadState('networkidle');
  expect(scripts).toEqual([]);
  expect(await page.locator('script').count()).toBe(0);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the search form still answers, from the server, in both languages', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Rechercher dans l’aide').fill('buraliste');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect(page).toHaveURL(/\/recherche\/\?q=buraliste$/);
    await expect(page.getByRole('status')).toContainText('pour «\u00a0buraliste\u00a0»');
    await expect(page.locator('#search-results a', { hasText: 'Je n’ai pas de carte bancaire' })).toHaveAttribute('href', '/faq/payer-sans-carte-bancaire/');
    await page.goto('/en/search/?q=tobacconist');
    await expect(page.locator('#search-results a', { hasText: 'I do not have a bank card' })).toBeVisible();
  });

  test('a search that finds nothing offers the topic list', async ({ page }) => {
    await page.goto('/recherche/?q=zzzyyyxxx');
    await expect(page.getByRole('status')).toContainText('Aucun résultat');
    await expect(page.getByRole('link', { name: 'Payer en ligne' })).toBeVisible();
  });
});
