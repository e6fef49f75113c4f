import { expect, test } from '@playwright/test';

/**
 * What axe cannot see: the keyboard reaches every control in reading order, and each one
 * shows where the focus is.
 */
test('the home page can be used with the keyboard alone, with a visible focus everywhere', async ({ page }) => {
  await page.goto('/');
  const reached: string[] = [];
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      return {
        label: ((el as HTMLInputElement).labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' '),
        indicated: style.outlineStyle !== 'none' || style.boxShadow !== 'none',
        box: [Math.round(box.top), Math.round(box.bottom), Math.round(box.width), Math.round(box.height), window.innerHeight],
        inView: box.top >= 0 && box.bottom <= window.innerHeight && box.width >= 24 && box.height >= 24,
      };
    });
    expect(focus, `Tab ${i + 1} reaches something`).not.toBeNull();
    expect(focus!.indicated, `the focus on “${focus!.label}” is visible`).toBe(true);
    expect(focus!.inView, `“${focus!.label}” is on screen and at least 24×24 px: ${JSON.stringify(focus!.box)}`).toBe(true);
    reached.push(focus!.label);
  }
  expect(reached.slice(0, 11)).toEqual([
    'Aller au contenu',
    'Val de Brenne Aide aux démarches en ligne',
    'Besoin d’aide ?',
    'Discuter avec nous',
    'Questions fréquentes',
    'Tutoriels',
    'Lieux d’aide',
    'Rechercher',
    'Paramètres d’affichage',
    'English',
    'Rechercher dans l’aide Par exemple : mot de passe, cantine, paiement',
  ]);
  expect(reached[11]).toBe('Rechercher');
});

test('the home page states the accessibility conformity and links to the statement', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Accessibilité : non conforme' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Déclaration d’accessibilité');
  await expect(page.getByText('Défenseur des droits').first()).toBeVisible();
  await page.goto('/en/');
  await expect(page.getByRole('link', { name: 'Accessibility: not compliant' })).toHaveAttribute('href', '/en/accessibility/');
});
