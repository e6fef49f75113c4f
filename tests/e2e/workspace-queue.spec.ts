// The queue as an agent reads fifty requests a day: at 1280×800, at least fifteen requests
// under the header, one line each, no number or state broken inside a word; filters folded,
// the active ones shown as chips that remove them; on a phone, cards and no sideways scroll.
import { expect, test } from '@playwright/test';
import { DEMO_AGENT, DEMO_PASSWORD, signIn } from './agent-helpers';
import { expectAccessible } from './request-helpers';

test.describe('at 1280×800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('fifteen requests or more are visible at once, and nothing breaks inside a word', async ({ page }) => {
    await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
    await page.goto('/agent/?file=all');
    const rows = page.locator('.a-queue tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(15);
    const visible = await rows.evaluateAll((list) => list.filter((row) => row.getBoundingClientRect().bottom <= window.innerHeight).length);
    console.log(`queue at 1280×800: ${visible} requests visible without scrolling`);
    expect(visible).toBeGreaterThanOrEqual(15);
    // Reference, state, due date and last activity each hold on one line.
    const broken = await rows.evaluateAll((list) =>
      list.flatMap((row) =>
        [...row.querySelectorAll('th, td.a-nowrap')]
          .filter((cell) => {
            const lineHeight = Number.parseFloat(getComputedStyle(cell).lineHeight) || 20;
            const range = document.createRange();
            range.selectNodeContents(cell);
            const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
            return lines.size > 1 || range.getBoundingClientRect().height > lineHeight * 1.6;
          })
          .map((cell) => cell.textContent?.trim()),
      ),
    );
    expect(broken).toEqual([]);
    await expectAccessible(page, 'compact queue');
  });

  test('filters are folded behind "Filtrer"; each active one is a chip that removes it', async ({ page }) => {
    await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
    await page.goto('/agent/?file=all');
    const filterBox = page.locator('.a-filter-box');
    await expect(filterBox.getByLabel('Priorité')).toBeHidden();
    await page.getByText('Filtrer', { exact: true }).click();
    await filterBox.getByLabel('Catégorie').selectOption({ label: 'Paiement' });
    await filterBox.getByLabel('Priorité').selectOption({ label: 'Normale' });
    await page.locator('.a-filter-box').getByRole('button', { name: 'Afficher' }).click();
    const chips = page.getByRole('list', { name: 'Filtres actifs' });
    await expect(chips.getByRole('link')).toHaveCount(3);
    await expect(chips.getByRole('link', { name: 'Catégorie : Paiement — retirer ce filtre' })).toBeVisible();
    await expect(chips.getByRole('link', { name: 'Priorité : Normale — retirer ce filtre' })).toBeVisible();
    await expect(chips.getByRole('link', { name: 'Effacer les filtres' })).toBeVisible();
    await expect(page.locator('.a-filter-box summary')).toHaveText('Filtrer (2)');
    await expectAccessible(page, 'queue with active filters');
    await chips.getByRole('link', { name: /^Catégorie : Paiement/ }).click();
    await expect(page).toHaveURL(/priorite=normal/);
    await expect(page).not.toHaveURL(/categorie=/);
    await expect(page.getByRole('list', { name: 'Filtres actifs' }).getByRole('link')).toHaveCount(1);
    await expect(page.getByRole('link', { name: 'Priorité : Normale — retirer ce filtre' })).toBeVisible();
  });
});

test('j and k move through the rows and Enter opens one; ? or the header link lists the shortcuts', async ({ page }) => {
  await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
  await page.goto('/agent/?file=all');
  await page.waitForLoadState('domcontentloaded');
  const links = page.locator('.a-queue [data-row-link]');
  await page.locator('h1').click();
  await page.keyboard.press('j');
  await expect(links.nth(0)).toBeFocused();
  await page.keyboard.press('j');
  await expect(links.nth(1)).toBeFocused();
  await page.keyboard.press('k');
  await expect(links.nth(0)).toBeFocused();
  await page.keyboard.press('j');
  const second = (await links.nth(1).textContent())!.trim();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Demande ${second}`);
  // The list of shortcuts: a link in the header, and ? anywhere outside a field.
  await expect(page.getByRole('link', { name: /^Raccourcis clavier/ })).toBeVisible();
  await page.waitForLoadState('domcontentloaded');
  await page.locator('h1').click();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Raccourcis clavier' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Ctrl + Entrée');
  await expectAccessible(page, 'shortcuts dialog');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await page.getByRole('link', { name: /^Raccourcis clavier/ }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Fermer' }).click();
  await expect(dialog).toBeHidden();
});

test('without JavaScript, the header link leads to the list of shortcuts', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
  await page.goto('/agent/');
  await page.getByRole('link', { name: /^Raccourcis clavier/ }).click();
  await expect(page).toHaveURL(/#raccourcis$/);
  await page.locator('#raccourcis summary').click();
  await expect(page.locator('#raccourcis')).toContainText('j / k');
  await context.close();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the queue and the reports never scroll sideways; requests are cards', async ({ page }) => {
    await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
    for (const path of ['/agent/?file=all', '/agent/rapports/']) {
      await page.goto(path);
      const wide = await page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.a-table-wrap, .g-table-wrap, [role=region]')).slice(0, 5).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`));
      expect(wide, path).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
    }
    await page.goto('/agent/?file=all');
    const firstRow = page.locator('.a-queue tbody tr').first();
    expect(await firstRow.evaluate((row) => getComputedStyle(row).display)).toBe('block');
    await expectAccessible(page, 'queue on a phone');
  });
});
