// The results the authority publishes (/resultats/, /en/results/): readable without JavaScript,
// no figure under 10 answers, and what administrators choose to show (and their comment) applies
// at once; the change is audit-logged. axe runs on both pages with the rest of the sitemap.
import { expect, test } from '@playwright/test';
import { DEMO_ADMIN, DEMO_PASSWORD, signIn } from './agent-helpers';

test.use({ javaScriptEnabled: false });

test('the public results: promises, measured figures, "not enough answers", and the administrator’s choices', async ({ page, browser }) => {
  const visitor = await browser.newContext({ javaScriptEnabled: false });
  const publicPage = await visitor.newPage();
  await publicPage.goto('/');
  await publicPage.getByRole('contentinfo').getByRole('link', { name: 'Nos résultats' }).click();
  await expect(publicPage.getByRole('heading', { level: 1 })).toHaveText('Nos résultats');
  await expect(publicPage.locator('main')).toContainText('Répondre à chaque demande d’aide en 2 jours ouvrés au plus.');
  const table = publicPage.getByRole('table', { name: 'Résultats des 12 derniers mois et des 12 mois précédents' });
  await expect(table.locator('tbody th')).toHaveText(['Demandes ayant reçu une première réponse dans le délai promis', 'Délai de la première réponse (médiane)', 'Usagers satisfaits de la réponse']);
  // The demo holds no request from the year before: every figure of that column rests on too few answers.
  await expect(table.locator('tbody td:nth-child(3)')).toHaveText([/^Pas assez de réponses pour un chiffre fiable \(\d sur 10 au moins\)$/, /^Pas assez/, /^Pas assez/]);

  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await page.goto('/agent/admin/reglages/#resultats');
  await page.getByRole('checkbox', { name: 'Délai de la première réponse (médiane)' }).uncheck();
  await page.getByLabel('Commentaire de la collectivité, en français').fill('Nous avons ouvert une permanence téléphonique le samedi matin.');
  await page.getByRole('button', { name: 'Enregistrer les résultats publiés' }).click();
  await expect(page.getByRole('status')).toHaveText('Réglages enregistrés.');

  await publicPage.reload();
  await expect(publicPage.locator('main')).toContainText('Nous avons ouvert une permanence téléphonique le samedi matin.');
  await expect(table.locator('tbody th')).toHaveText(['Demandes ayant reçu une première réponse dans le délai promis', 'Usagers satisfaits de la réponse']);
  await publicPage.goto('/en/results/');
  await expect(publicPage.getByRole('heading', { level: 1 })).toHaveText('Our results');
  await expect(publicPage.locator('main')).not.toContainText('permanence');

  // Back to what the other tests expect; both changes are in the audit log.
  await page.goto('/agent/admin/reglages/#resultats');
  await page.getByRole('checkbox', { name: 'Délai de la première réponse (médiane)' }).check();
  await page.getByLabel('Commentaire de la collectivité, en français').fill('');
  await page.getByRole('button', { name: 'Enregistrer les résultats publiés' }).click();
  await expect(page.getByRole('status')).toHaveText('Réglages enregistrés.');
  await page.goto('/agent/admin/journal/');
  await expect(page.locator('.a-table tbody')).toContainText('Résultats publiés changés');
  await visitor.close();
});
