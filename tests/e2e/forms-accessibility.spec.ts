import { expect, test } from '@playwright/test';
import { axeViolations } from './helpers';

/** The pages rendered on demand, in their error and success states, pass axe too. */

test('feedback pages in every state have no axe violation', async ({ page }) => {
  for (const [path, yes] of [['/faq/fichier-trop-lourd/', 'Oui'], ['/en/faq/file-too-large/', 'Yes']] as const) {
    await page.goto(path);
    await page.getByRole('button', { name: yes, exact: true }).click();
    await expect(page.locator('textarea')).toBeVisible();
    expect(await axeViolations(page), `thanks page from ${path}`).toEqual([]);
    await page.locator('form button[type=submit]').click();
    await expect(page.getByRole('alert')).toBeVisible();
    expect(await axeViolations(page), `empty comment error from ${path}`).toEqual([]);
    await page.locator('textarea').fill('Clair.');
    await page.locator('form button[type=submit]').click();
    await expect(page.getByRole('status')).toBeVisible();
    expect(await axeViolations(page), `comment sent from ${path}`).toEqual([]);
  }
  for (const path of ['/avis/', '/en/feedback/']) {
    await page.goto(path);
    expect(await axeViolations(page), path).toEqual([]);
  }
});

test('display settings pages, saved and in error, have no axe violation', async ({ page }) => {
  await page.goto('/en/display-settings/');
  await page.getByLabel('High contrast').check();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('status')).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  // The error state, reached as a forged post would reach it.
  await page.evaluate(() => {
    const radio = document.querySelector<HTMLInputElement>('#theme-contrast')!;
    radio.value = 'neon';
    radio.checked = true;
  });
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('This choice does not exist');
  expect(await axeViolations(page)).toEqual([]);
});
