import { createHash } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { countRows, expectAccessible, expectFieldError, fileRequest, pngFile, query, sendRequest } from './request-helpers';

/** Steps 1 and 2 answered; the browser is on the attachments step. */
async function reachAttachments(page: Page) {
  await page.goto('/demande/demarche/');
  await page.getByLabel('Nom de la démarche ou du service').fill('Inscription à l’école');
  await page.getByLabel('Je n’arrive pas à envoyer un document').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Ce qui se passe').fill('Le justificatif est refusé.');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ajouter des captures d’écran ou des documents');
}

const continueButton = (page: Page) => page.getByRole('button', { name: 'Continuer' });
/** Files held by this browser's draft (other tests run at the same time). */
async function draftFiles(page: Page) {
  const token = (await page.context().cookies()).find((c) => c.name === 'guichet_demande')!.value;
  const hash = createHash('sha256').update(token).digest('hex');
  return countRows('attachments', 'draft_id = (select id from request_drafts where token_hash = ?)', [hash]);
}

/** Whether the server gave this browser a draft: a refused first step must not. */
const hasDraft = async (page: Page) => (await page.context().cookies()).some((c) => c.name === 'guichet_demande');

test('every step refuses missing or wrong answers next to the field and in the summary, keeps what was typed and stores nothing', async ({ page }) => {
  // Every step through axe: the budget of a slow machine, not a measure.
  test.setTimeout(180_000);
  const requests = await countRows('requests', 'procedure = ?', ['Payer la cantine (erreurs)']);
  await page.goto('/demande/demarche/');
  await page.getByLabel('À quelle étape êtes-vous bloqué').fill('Au moment de payer');
  await continueButton(page).click();
  await expectFieldError(page, 'f-procedure', 'Indiquez la démarche que vous vouliez faire');
  await expectFieldError(page, 'f-category', 'Choisissez ce qui se passe');
  await expect(page).toHaveTitle(/^Erreur/);
  await expect(page.locator('#error-summary')).toBeFocused();
  await expect(page.getByLabel('À quelle étape êtes-vous bloqué')).toHaveValue('Au moment de payer');
  await expectAccessible(page, 'step 1 errors');
  expect(await hasDraft(page)).toBe(false);

  await page.getByLabel('Nom de la démarche ou du service').fill('Payer la cantine (erreurs)');
  await page.getByLabel('Le paiement ne fonctionne pas').check();
  await continueButton(page).click();
  await continueButton(page).click();
  await expectFieldError(page, 'f-description', 'Décrivez ce qui vous bloque');
  await expectAccessible(page, 'step 2 error');
  await page.getByLabel('Ce qui se passe').fill('Paiement refusé.');
  await continueButton(page).click();
  await continueButton(page).click();

  await continueButton(page).click();
  await expectFieldError(page, 'f-who', 'Dites pour qui vous faites cette demande');
  await expectAccessible(page, 'step 4 error');
  await page.getByLabel('Pour une personne que j’aide').check();
  await continueButton(page).click();

  await page.getByLabel('Votre structure').fill('Association Lien');
  await continueButton(page).click();
  await expectFieldError(page, 'f-helperName', 'Indiquez votre nom');
  await expectFieldError(page, 'f-name', 'Indiquez le nom de la personne que vous aidez');
  await expectFieldError(page, 'f-personAgreed', 'Confirmez que la personne est d’accord pour cette demande');
  await expect(page.getByLabel('Votre structure')).toHaveValue('Association Lien');
  await expectAccessible(page, 'step 5 errors (helper)');
  await page.getByLabel('Votre nom et prénom').fill('Nadia Roussel');
  await page.getByLabel('Nom et prénom de la personne aidée').fill('Odette Marchand');
  await page.getByRole('checkbox', { name: 'La personne est d’accord' }).check();
  await continueButton(page).click();

  await continueButton(page).click();
  await expectFieldError(page, 'f-channel', 'Choisissez comment recevoir la réponse');
  await page.getByLabel('Par e-mail').check();
  await page.getByLabel('Adresse e-mail').fill('odette@');
  await continueButton(page).click();
  await expectFieldError(page, 'f-email', 'Indiquez une adresse e-mail complète, par exemple nom@exemple.fr');
  await expect(page.getByLabel('Adresse e-mail')).toHaveValue('odette@');
  await expectAccessible(page, 'step 6 invalid email');
  await page.getByLabel('Adresse e-mail').fill('');
  await page.getByLabel('Être rappelé par téléphone').check();
  await page.getByLabel('Numéro de téléphone').fill('03 80');
  await page.getByLabel('Des caractères agrandis').check();
  await continueButton(page).click();
  await expectFieldError(page, 'f-phone', /Indiquez un numéro à 10 chiffres/);
  await expectFieldError(page, 'f-callbackSlots', 'Choisissez au moins un moment où nous pouvons vous appeler');
  await expect(page.getByLabel('Numéro de téléphone')).toHaveValue('03 80');
  await expect(page.getByLabel('Des caractères agrandis')).toBeChecked();
  await expect(page.getByLabel('Être rappelé par téléphone')).toBeChecked();
  await expectAccessible(page, 'step 6 invalid phone, no time slot');
  await page.getByLabel('Un rendez-vous dans un lieu d’aide').check();
  await page.getByLabel('Numéro de téléphone').fill('');
  await continueButton(page).click();
  await expectFieldError(page, 'f-helpPlace', 'Choisissez un lieu d’aide');
  await expectFieldError(page, 'f-phone', 'Indiquez un numéro de téléphone ou une adresse e-mail pour fixer le rendez-vous');
  await expectAccessible(page, 'step 6 appointment without place or contact');
  await page.getByLabel('Mairie de Vaux-sur-Brenne').check();
  await page.getByLabel('Numéro de téléphone').fill('0380112233');
  await continueButton(page).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vérifiez votre demande avant de l’envoyer');
  await expect(page.locator('#step-answer + dl')).toContainText('Mairie de Vaux-sur-Brenne');
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expectFieldError(page, 'f-consent', /Cochez la case pour accepter/);
  await expectAccessible(page, 'check page without consent');
  expect(await countRows('requests', 'procedure = ?', ['Payer la cantine (erreurs)'])).toBe(requests);

  // "Change" goes back to a step and returns to the check page.
  await page.getByRole('link', { name: 'Modifier le problème' }).click();
  await page.getByLabel('Ce qui se passe').fill('Paiement refusé, deux fois.');
  await page.getByRole('button', { name: 'Enregistrer et revenir à la vérification' }).click();
  await expect(page.locator('#step-problem + dl')).toContainText('Paiement refusé, deux fois.');
});

test('files of the wrong type, over 10 MB or too many are refused, and nothing is stored', async ({ page }) => {
  await reachAttachments(page);
  const before = await draftFiles(page);
  const input = page.getByLabel('Choisir des fichiers');
  const add = page.getByRole('button', { name: 'Ajouter ces fichiers' });

  await input.setInputFiles([{ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('this is text, not an image') }]);
  await add.click();
  await expectFieldError(page, 'f-files', 'Le fichier « photo.png » n’est ni une image (PNG, JPEG, GIF, WebP) ni un PDF'.replaceAll(' »', '\u00a0»').replaceAll('« ', '«\u00a0'));
  await expectAccessible(page, 'wrong file type');

  await input.setInputFiles([pngFile('grand.png', 10 * 1024 * 1024 + 1)]);
  await add.click();
  await expectFieldError(page, 'f-files', /grand\.png.*plus de 10/);

  await input.setInputFiles(Array.from({ length: 6 }, (_, i) => pngFile(`capture-${i + 1}.png`)));
  await add.click();
  await expectFieldError(page, 'f-files', 'Une demande peut avoir 5 fichiers : vous pouvez encore en ajouter 5'.replace(' :', '\u00a0:'));
  await expectAccessible(page, 'too many files');
  expect(await draftFiles(page)).toBe(before);

  await input.setInputFiles(Array.from({ length: 5 }, (_, i) => pngFile(`capture-${i + 1}.png`)));
  await add.click();
  await expect(page.getByRole('heading', { name: 'Fichiers ajoutés : 5 sur 5'.replace(' :', '\u00a0:') })).toBeVisible();
  await expect(page.getByText('Vous avez ajouté le nombre maximal de fichiers.')).toBeVisible();
  await expect(page.getByLabel('Choisir des fichiers')).toHaveCount(0);
  expect(await draftFiles(page)).toBe(before + 5);
  await page.getByRole('button', { name: 'Supprimer capture-3.png' }).click();
  await expect(page.getByRole('status')).toHaveText('Fichier supprimé.');
  await expect(page.locator('.g-file-list')).not.toContainText('capture-3.png');
  expect(await draftFiles(page)).toBe(before + 4);
  await expectAccessible(page, 'four files added');
});

test('bodies that are too large get a clear page, not an error', async ({ page }) => {
  await reachAttachments(page);
  const origin = new URL(page.url()).origin;
  // Six files of 9 MB: each is allowed, together they exceed what one post may carry.
  const big = { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(9 * 1024 * 1024)]) };
  const response = await page.request.post('/demande/pieces-jointes/?_action=request.files', {
    headers: { Origin: origin },
    multipart: Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`files${i}`, big])) as never,
    maxRedirects: 0,
  });
  expect(response.status()).toBe(413);
  expect(await response.text()).toContain('Les fichiers envoyés ensemble sont trop lourds');
  // A form without files is held to 64 KB.
  const long = await page.request.post('/demande/demarche/?_action=request.step', { headers: { Origin: origin }, form: { step: 'procedure', procedure: 'x'.repeat(100_000) }, maxRedirects: 0 });
  expect(long.status()).toBe(413);
  expect(await long.text()).toContain('Il y a un problème');
});

test('a filled honeypot is refused with a message, keeping what was typed, and stores nothing', async ({ page }) => {
  await page.goto('/demande/demarche/');
  await page.getByLabel('Nom de la démarche ou du service').fill('Payer la cantine');
  await page.getByLabel('Le paiement ne fonctionne pas').check();
  await page.evaluate(() => {
    document.querySelector<HTMLInputElement>('input[name="website"]')!.value = 'https://spam.example';
  });
  await continueButton(page).click();
  await expect(page.locator('#error-summary')).toContainText('Votre envoi n’a pas pu être accepté');
  await expect(page.getByLabel('Nom de la démarche ou du service')).toHaveValue('Payer la cantine');
  await expectAccessible(page, 'honeypot refused');
  expect(await hasDraft(page)).toBe(false);
});

test('asking for the link again: wrong input, the same answer whether or not it matches, then the rate limit', async ({ page }) => {
  await page.goto('/suivi/');
  await expectAccessible(page, 'find page');
  await page.getByRole('button', { name: 'Recevoir le lien' }).click();
  await expectFieldError(page, 'f-reference', 'Indiquez le numéro de la demande');
  await expectFieldError(page, 'f-email', 'Indiquez l’adresse e-mail donnée dans la demande');
  await page.getByLabel('Numéro de la demande').fill('12-34');
  await page.getByLabel('Adresse e-mail').fill('jean@');
  await page.getByRole('button', { name: 'Recevoir le lien' }).click();
  await expectFieldError(page, 'f-reference', 'Le numéro de demande a 9 chiffres, par exemple 123-456-789');
  await expectFieldError(page, 'f-email', /Indiquez une adresse e-mail complète/);
  await expect(page.getByLabel('Numéro de la demande')).toHaveValue('12-34');
  await expectAccessible(page, 'find page errors');

  const [known] = await query("select r.reference, q.email from requests r join requesters q on q.id = r.requester_id where q.email is not null and r.status <> 'closed' order by r.id limit 1");
  const links = () => countRows('mail_outbox', "kind = 'link'");
  const before = await links();
  const ask = async (reference: string, email: string) => {
    await page.getByLabel('Numéro de la demande').fill(reference);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByRole('button', { name: 'Recevoir le lien' }).click();
  };
  await ask(String(known!.reference), String(known!.email));
  const sent = page.getByRole('status');
  await expect(sent).toContainText(`nous venons d’envoyer un lien à ${known!.email}`);
  await expectAccessible(page, 'link sent');
  expect(await links()).toBe(before + 1);
  await ask('000 000 001', 'nobody@example.org');
  await expect(sent).toContainText('nous venons d’envoyer un lien à nobody@example.org');
  expect(await links()).toBe(before + 1);

  // The same client asking again and again is stopped, with a message and what it typed.
  for (let i = 0; i < 10; i += 1) {
    await ask('000 000 002', 'again@example.org');
    if (await page.locator('#error-summary').isVisible()) break;
  }
  await expect(page.locator('#error-summary')).toContainText('Vous avez fait beaucoup d’envois en peu de temps');
  await expect(page.getByLabel('Numéro de la demande')).toHaveValue('000 000 002');
  await expect(page.getByLabel('Adresse e-mail')).toHaveValue('again@example.org');
  await expectAccessible(page, 'rate limited');
  expect(await links()).toBe(before + 1);
});

test('a forged, unknown or truncated link leads to a clear page', async ({ page }) => {
  for (const path of [`/suivi/${'a'.repeat(52)}/`, '/suivi/abc/', `/en/track/${'b'.repeat(52)}/`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(path.startsWith('/en/') ? 'Request not found' : 'Demande introuvable');
    await expectAccessible(page, path);
  }
  expect((await page.request.get(`/suivi/${'a'.repeat(52)}/piece/1/`)).status()).toBe(404);
  const reply = await page.request.post(`/suivi/${'a'.repeat(52)}/?_action=request.reply`, {
    headers: { Origin: new URL(page.url()).origin },
    multipart: { token: 'a'.repeat(52), message: 'Bonjour' },
    maxRedirects: 0,
  });
  expect(reply.status()).toBe(404);
  expect(await countRows('messages', 'body = ?', ['Bonjour'])).toBe(0);
});

test('an expired form or link leads to a clear page', async ({ page }) => {
  // A later step with no draft (it expired after a day, or cookies were cleared).
  const response = await page.goto('/demande/identite/');
  expect(response?.status()).toBe(410);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Votre demande en cours a expiré');
  await expect(page.getByRole('link', { name: 'Commencer' })).toHaveAttribute('href', '/demande/');
  await expectAccessible(page, 'expired draft');

  // A request closed long ago: its link no longer opens it.
  await fileRequest(page, { email: 'old@example.org', axe: false });
  const { link, digits } = await sendRequest(page, false);
  await query("update requests set status = 'closed', closed_at = ? where reference = ?", [Date.now() - 100 * 86_400_000, digits]);
  const expired = await page.goto(link);
  expect(expired?.status()).toBe(410);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ce lien a expiré');
  await expectAccessible(page, 'expired link');
});

test('privacy: a link reaches only its own request and never an internal note', async ({ page, browser }) => {
  await fileRequest(page, { files: [pngFile('a-moi.png')], email: 'a@example.org', axe: false });
  const mine = await sendRequest(page, false);
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await fileRequest(otherPage, { files: [pngFile('a-lui.png')], email: 'b@example.org', name: 'Karim Benali', axe: false });
  const theirs = await sendRequest(otherPage, false);
  await other.close();

  const [a] = await query('select id from requests where reference = ?', [mine.digits]);
  const [b] = await query('select id from requests where reference = ?', [theirs.digits]);
  const [theirFile] = await query('select id from attachments where request_id = ?', [b!.id]);
  // An agent's internal note with a file, as the workspace will write it.
  await query("insert into messages (request_id, author, author_name, internal, body, created_at) values (?, 'agent', 'Sophie', 1, 'Note interne : compte suspect', ?)", [a!.id, Date.now()]);
  const [note] = await query('select id from messages where request_id = ? and internal = 1', [a!.id]);
  await query("insert into attachments (request_id, message_id, file_name, content_type, size, data, created_at) values (?, ?, 'interne.png', 'image/png', 8, x'89504e470d0a1a0a', ?)", [a!.id, note!.id, Date.now()]);
  const [internalFile] = await query('select id from attachments where message_id = ?', [note!.id]);
  const [myFile] = await query('select id from attachments where request_id = ? and message_id is null', [a!.id]);

  await page.goto(mine.link);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Demande n°\u00a0${mine.reference}`);
  await expect(page.locator('main')).not.toContainText('Note interne');
  await expect(page.locator('main')).not.toContainText('interne.png');
  await expect(page.locator('main')).not.toContainText(theirs.reference);
  const download = await page.request.get(`${mine.link}piece/${myFile!.id}/`);
  expect(download.status()).toBe(200);
  // A download, never sniffed, sandboxed if opened.
  expect(download.headers()['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''/);
  expect(download.headers()['x-content-type-options']).toBe('nosniff');
  expect(download.headers()['content-security-policy']).toContain('sandbox');
  expect(download.headers()['cache-control']).toContain('no-store');
  expect((await page.request.get(`${mine.link}piece/${theirFile!.id}/`)).status()).toBe(404);
  expect((await page.request.get(`${mine.link}piece/${internalFile!.id}/`)).status()).toBe(404);
  expect((await page.request.get(`${theirs.link}piece/${myFile!.id}/`)).status()).toBe(404);
});

test('a reply with nothing in it, or with a file that is not accepted, is refused and keeps the text', async ({ page }) => {
  await fileRequest(page, { email: 'reply@example.org', axe: false });
  const { link, digits } = await sendRequest(page, false);
  await page.goto(link);
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await expectFieldError(page, 'f-message', 'Écrivez votre message ou joignez un fichier');
  await expectAccessible(page, 'empty reply');
  await page.getByLabel('Votre message').fill('Voici le document.');
  await page.getByLabel('Ajouter des fichiers').setInputFiles([{ name: 'document.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not really a PDF') }]);
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await expectFieldError(page, 'f-files', /document\.pdf.*ni une image/);
  await expect(page.getByLabel('Votre message')).toHaveValue('Voici le document.');
  await expect(page.locator('#f-files-hint')).toContainText('choisissez-les à nouveau');
  await expectAccessible(page, 'reply with a refused file');
  expect(await countRows('messages', 'request_id = (select id from requests where reference = ?)', [digits])).toBe(0);
});
