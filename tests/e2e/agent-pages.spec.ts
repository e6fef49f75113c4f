import { expect, test } from '@playwright/test';
import { DEMO_ADMIN, DEMO_PASSWORD, signIn } from './agent-helpers';
import { expectAccessible, fileRequest, pngFile, query, sendRequest } from './request-helpers';

async function firstOpenReference() {
  const [row] = await query("select reference from requests where status in ('new', 'open') and merged_into_id is null order by id limit 1");
  return String(row!.reference);
}

test('every workspace page, with and without errors, has no axe violation and one h1', async ({ page }) => {
  test.setTimeout(300_000);
  const check = async (label: string, status = 200) => {
    await expect(page.locator('h1'), label).toHaveCount(1);
    await expectAccessible(page, label);
    return status;
  };
  await page.goto('/agent/mot-de-passe/');
  await check('password link request');
  expect((await page.goto(`/agent/mot-de-passe/${'a'.repeat(52)}/`))!.status()).toBe(410);
  await check('expired password link');

  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  for (const path of ['/agent/', '/agent/?file=overdue', '/agent/?file=all&tri=priority&categorie=payment', '/agent/?q=cantine', '/agent/?q=zzzzzz', '/agent/admin/', '/agent/admin/reglages/', '/agent/admin/reponses/', '/agent/admin/journal/']) {
    await page.goto(path);
    await check(path);
  }
  // A request of its own: another test changing a shared one between the page and the click
  // would make the empty "Envoyer" save that change instead of refusing.
  const resident = await page.context().newPage();
  await fileRequest(resident, { axe: false, email: 'pages-axe@example.org' });
  const { digits: reference } = await sendRequest(resident, false);
  await resident.close();
  await page.goto(`/agent/demandes/${reference}/`);
  await check('request page');
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.locator('#error-summary')).toContainText('Écrivez le message');
  await check('request page, empty reply');
  await page.getByLabel('Numéro de la demande à garder').fill('12');
  await page.getByRole('button', { name: 'Regrouper et fermer celle-ci' }).click();
  await expect(page.locator('#f-into-error')).toContainText('9 chiffres');
  await check('request page, bad merge reference');
  expect((await page.goto('/agent/demandes/000000000/'))!.status()).toBe(404);
  await check('unknown request');

  await page.goto('/agent/admin/reglages/');
  await page.getByLabel('Première réponse, Paiement, en jours ouvrés').fill('99');
  await page.getByRole('button', { name: 'Enregistrer les délais' }).click();
  await expect(page.locator('#error-summary')).toContainText('entre 0 et 60');
  await expect(page.getByLabel('Première réponse, Paiement, en jours ouvrés')).toHaveValue('99');
  await check('targets with an error');
  await page.getByLabel('Lundi, Première période, Fermeture').fill('07:00');
  await page.getByLabel('Fermetures exceptionnelles').fill('24/12/2026 au 02/01/2027 Fermeture de fin d’année\n31/02/2027');
  await page.getByRole('button', { name: 'Enregistrer les horaires' }).click();
  await expect(page.locator('#f-d1-a-close-error')).toContainText('après l’heure d’ouverture');
  await expect(page.locator('#f-closures-error')).toContainText('Ligne 2');
  await expect(page.getByLabel('Fermetures exceptionnelles')).toHaveValue('24/12/2026 au 02/01/2027 Fermeture de fin d’année\n31/02/2027');
  await check('hours with an error');

  await page.goto('/agent/admin/reponses/');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.locator('#error-summary')).toContainText('Indiquez un titre');
  await check('saved replies with an error');
  await page.goto('/agent/admin/');
  await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
  await expect(page.locator('#error-summary')).toContainText('Indiquez le nom');
  await check('agents with an error');
});

test('administrators change targets and saved replies; the change is in the audit log', async ({ page }) => {
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await page.goto('/agent/admin/reponses/');
  const title = `Réponse ${Date.now()}`;
  await page.getByRole('textbox', { name: /^Titre/ }).fill(title);
  await page.getByRole('textbox', { name: /^Texte/ }).fill('Bonjour,\n\nVoici comment faire.');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status')).toHaveText('Réponse type enregistrée.');
  await expect(page.getByRole('heading', { name: title })).toBeVisible();
  await page.goto('/agent/admin/reglages/');
  await page.getByLabel('Résolution, Autre, en jours ouvrés').fill('15');
  await page.getByRole('button', { name: 'Enregistrer les délais' }).click();
  await expect(page.getByRole('status')).toHaveText('Réglages enregistrés.');
  await expect(page.getByLabel('Résolution, Autre, en jours ouvrés')).toHaveValue('15');
  await page.goto('/agent/admin/journal/');
  await expect(page.locator('.a-table tbody')).toContainText('Réponse type créée');
  await expect(page.locator('.a-table tbody')).toContainText('Délais changés');
});

test.describe('keyboard', () => {
  test('shortcuts reach the search, a request, the reply and the assignment; they are listed on the page', async ({ page }) => {
    await signIn(page, 'sophie.demo@example.org', DEMO_PASSWORD);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');
    await page.waitForLoadState('domcontentloaded');
    await page.locator('#raccourcis summary').click();
    await expect(page.locator('.a-keys')).toContainText('aller au champ de recherche');
    await page.locator('h1').click();
    await page.keyboard.press('/');
    await expect(page.getByLabel('Chercher', { exact: true })).toBeFocused();
    await page.locator('h1').click();
    await page.keyboard.press('1');
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Demande ');
    // The shortcuts are listened to once the page's script has run.
    await page.waitForLoadState('domcontentloaded');
    await page.keyboard.press('r');
    await expect(page.getByLabel('Message')).toBeFocused();
    await page.getByLabel('Message').press('Escape');
    await page.locator('h1').click();
    await page.keyboard.press('i');
    await expect(page.getByRole('radio', { name: 'Note interne' })).toBeChecked();
    if (await page.getByRole('button', { name: 'Me l’attribuer' }).isVisible()) {
      await page.keyboard.press('a');
      await expect(page.locator('h1 + .g-meta')).toContainText('attribuée à Sophie (accueil)');
      await page.waitForLoadState('domcontentloaded');
    }
    await page.keyboard.press('q');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');
  });

  test('the request page can be worked with the keyboard alone, in order', async ({ page }) => {
    await signIn(page, 'sophie.demo@example.org', DEMO_PASSWORD);
    await page.goto(`/agent/demandes/${await firstOpenReference()}/`);
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Aller au contenu' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();
    const focusable = await page.locator('main a, main button, main input:not([type=hidden]), main select, main textarea').count();
    expect(focusable).toBeGreaterThan(10);
  });
});

test('an administrator words the categories in the authority’s own terms and withdraws one; the resident form follows', async ({ browser, page }) => {
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await page.goto('/agent/admin/reglages/');
  await expect(page.getByLabel('Proposer « Accessibilité » aux habitants')).toBeDisabled();
  await page.getByLabel('Formulation en français, Envoi de documents').fill('x'.repeat(121));
  await page.getByRole('button', { name: 'Enregistrer les catégories' }).click();
  await expect(page.locator('#f-category-documents-fr-error')).toContainText('121 caractères pour 120 au plus');
  await expectAccessible(page, 'categories with an error');
  await page.getByLabel('Formulation en français, Envoi de documents').fill('Je n’arrive pas à envoyer un justificatif');
  await page.getByLabel('Proposer « Sans équipement » aux habitants').uncheck();
  await page.getByRole('button', { name: 'Enregistrer les catégories' }).click();
  await expect(page.getByRole('status')).toHaveText('Réglages enregistrés.');

  const resident = await browser.newContext({ javaScriptEnabled: false });
  const form = await resident.newPage();
  await form.goto('/demande/demarche/');
  await expect(form.getByRole('radio', { name: 'Je n’arrive pas à envoyer un justificatif' })).toBeVisible();
  await expect(form.getByRole('radio', { name: /Je n’ai pas d’ordinateur/ })).toHaveCount(0);
  await expect(form.getByRole('radio', { name: /Le site n’est pas accessible/ })).toBeVisible();
  // A withdrawn category posted anyway is refused, as any value the form does not offer.
  await form.evaluate(() => {
    const radio = document.querySelector<HTMLInputElement>('input[name="category"]')!;
    radio.value = 'no-device';
    radio.checked = true;
  });
  await form.getByRole('textbox', { name: /^Nom de la démarche/ }).fill('Payer la cantine');
  await form.getByRole('button', { name: 'Continuer' }).click();
  await expect(form.locator('#error-summary')).toContainText('Choisissez une des réponses proposées');
  await resident.close();

  // Back to the defaults, as the other tests expect them.
  await page.goto('/agent/admin/reglages/');
  await page.getByLabel('Formulation en français, Envoi de documents').fill('');
  await page.getByLabel('Proposer « Sans équipement » aux habitants').check();
  await page.getByRole('button', { name: 'Enregistrer les catégories' }).click();
  await expect(page.getByRole('status')).toHaveText('Réglages enregistrés.');
  await page.goto('/agent/admin/journal/');
  await expect(page.locator('.a-table tbody')).toContainText('Catégories changées');
});

test('an agent’s reply carries a file the resident can open; a file on an internal note stays internal', async ({ browser, page }) => {
  const resident = await browser.newContext();
  const residentPage = await resident.newPage();
  await fileRequest(residentPage, { email: `fichier-${Date.now()}@example.org`, axe: false });
  const { reference, digits, link } = await sendRequest(residentPage, false);

  await signIn(page, 'sophie.demo@example.org', DEMO_PASSWORD);
  await page.goto(`/agent/demandes/${digits}/`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(reference);
  await page.getByLabel('Message').fill('Voici le formulaire à remplir.');
  await page.getByLabel(/^Joindre des fichiers/).setInputFiles([{ name: 'formulaire.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% formulaire\n') }]);
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Réponse envoyée.' })).toBeVisible();
  await page.getByRole('radio', { name: 'Note interne' }).check();
  await page.getByLabel('Message').fill('Copie de la pièce d’identité, pour nous seulement.');
  await page.getByLabel(/^Joindre des fichiers/).setInputFiles([pngFile('identite.png')]);
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Note interne ajoutée.' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'identite.png' })).toBeVisible();
  const internalHref = (await page.getByRole('link', { name: 'identite.png' }).getAttribute('href'))!;
  expect((await page.request.get(internalHref)).status()).toBe(200);

  await residentPage.goto(link);
  const pdf = residentPage.getByRole('link', { name: 'formulaire.pdf' });
  await expect(pdf).toBeVisible();
  const download = await residentPage.request.get((await pdf.getAttribute('href'))!);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-type']).toBe('application/pdf');
  await expect(residentPage.locator('body')).not.toContainText('identite.png');
  // The internal file's id, tried through the resident's link, is not found.
  const internalId = /piece\/(\d+)\//.exec(internalHref)![1];
  expect((await residentPage.request.get(`${link}piece/${internalId}/`)).status()).toBe(404);
  await resident.close();
});
