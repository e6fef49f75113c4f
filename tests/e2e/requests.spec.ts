import { expect, type Page, test } from '@playwright/test';
import { countRows, expectAccessible, fileRequest, pngFile, query, sendRequest } from './request-helpers';

/** Follows the private link, replies with a file, and sees the reply in the conversation. */
async function replyThroughLink(page: Page, link: string, reference: string, axe: boolean) {
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Demande n°\u00a0${reference}`);
  await expect(page.locator('.g-status')).toHaveText('Reçue, pas encore traitée');
  if (axe) await expectAccessible(page, 'tracking page');
  await page.getByLabel('Votre message').fill('Voici le message d’erreur que je vois.');
  await page.getByLabel('Ajouter des fichiers').setInputFiles([pngFile('erreur.png')]);
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(page.getByRole('status')).toHaveText('Votre message a été envoyé.');
  const message = page.locator('.g-message').last();
  await expect(message).toContainText('Voici le message d’erreur que je vois.');
  await expect(message.getByRole('link', { name: 'erreur.png' })).toBeVisible();
  if (axe) await expectAccessible(page, 'tracking page after a reply');
  // The file the resident sent comes back as it was, with its detected type.
  const file = await page.request.get((await message.getByRole('link', { name: 'erreur.png' }).getAttribute('href'))!);
  expect(file.status()).toBe(200);
  expect(file.headers()['content-type']).toBe('image/png');
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('a resident files a request with a screenshot, reads the confirmation, opens the link and replies', async ({ page }) => {
      await fileRequest(page, { files: [pngFile('capture.png')], email: `resident-${javaScriptEnabled}@example.org`, axe: javaScriptEnabled });
      await expect(page.locator('#step-attachments + dl')).toContainText('capture.png');
      // The check page offers FAQ entries that may answer the problem, from the server.
      await expect(page.getByRole('region', { name: 'Ces réponses peuvent vous aider' }).getByRole('link', { name: 'Ma carte bancaire est refusée, que faire ?' })).toBeVisible();
      const { reference, digits, link } = await sendRequest(page, javaScriptEnabled);
      await expect(page.getByText(`Nous avons envoyé un e-mail de confirmation à resident-${javaScriptEnabled}@example.org`)).toBeVisible();
      await expect(page.getByText(/vous répondra au plus tard le \d+ \S+ \d{4}/)).toBeVisible();

      const [request] = await query('select r.id, r.status, r.category, q.email from requests r join requesters q on q.id = r.requester_id where r.reference = ?', [digits]);
      expect(request).toMatchObject({ status: 'new', category: 'payment', email: `resident-${javaScriptEnabled}@example.org` });
      expect(await countRows('attachments', 'request_id = ? and message_id is null', [request!.id])).toBe(1);
      expect(await countRows('mail_outbox', "request_id = ? and kind = 'acknowledgement'", [request!.id])).toBe(1);

      await replyThroughLink(page, link, reference, javaScriptEnabled);
      expect(await countRows('messages', "request_id = ? and author = 'requester'", [request!.id])).toBe(1);
    });
  });
}

test('with JavaScript, help entries are suggested while the problem is typed', async ({ page }) => {
  await page.goto('/demande/');
  await page.getByRole('link', { name: 'Commencer' }).click();
  await page.getByLabel('Nom de la démarche ou du service').fill('Payer la facture d’eau');
  await page.getByLabel('Le paiement ne fonctionne pas').check();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Ce qui se passe').pressSequentially('Ma carte bancaire est refusée quand je paie', { delay: 5 });
  const suggestions = page.locator('#request-suggestions');
  await expect(suggestions.getByRole('heading', { name: 'Ces réponses peuvent vous aider' })).toBeVisible();
  await expect(suggestions.getByRole('link').first()).toHaveAttribute('href', /^\/faq\//);
  await expectAccessible(page, 'suggestions shown');
});

test('a helper files a request for someone else, who agreed', async ({ page }) => {
  await fileRequest(page, {
    who: 'Pour une personne que j’aide',
    helper: { name: 'Nadia Roussel', organisation: 'France Services de Brenne' },
    name: 'Odette Marchand',
    email: 'france-services@example.org',
  });
  const about = page.locator('#step-about + dl');
  await expect(about).toContainText('Nadia Roussel');
  await expect(about).toContainText('France Services de Brenne');
  await expect(about).toContainText('Odette Marchand');
  const { digits } = await sendRequest(page);
  const [row] = await query('select q.kind, q.name, q.helper_name, q.helper_organisation, q.person_agreed, q.email from requests r join requesters q on q.id = r.requester_id where r.reference = ?', [digits]);
  expect(row).toMatchObject({ kind: 'helper', name: 'Odette Marchand', helper_name: 'Nadia Roussel', helper_organisation: 'France Services de Brenne', person_agreed: 1, email: 'france-services@example.org' });
});

test('a resident without email asks to be called back, and the request is still tracked', async ({ page }) => {
  await fileRequest(page, { channel: 'Être rappelé par téléphone', phone: '03 80 11 22 33', name: 'Henri Gauthier' });
  await expect(page.locator('#step-answer + dl')).toContainText('03 80 11 22 33');
  const { digits, link, reference } = await sendRequest(page);
  await expect(page.getByText('Nous vous appellerons au 03 80 11 22 33\u00a0: en semaine, le matin.')).toBeVisible();
  await expect(page.getByText('Nous avons envoyé un e-mail')).toHaveCount(0);
  const [row] = await query('select r.id, r.channel, r.callback_slots, q.email, q.phone from requests r join requesters q on q.id = r.requester_id where r.reference = ?', [digits]);
  expect(row).toMatchObject({ channel: 'phone', callback_slots: '["weekday-morning"]', email: null, phone: '0380112233' });
  expect(await countRows('mail_outbox', 'request_id = ?', [row!.id])).toBe(0);
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Demande n°\u00a0${reference}`);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('sending twice (back, then send again) creates one request and shows the same confirmation', async ({ page }) => {
    await fileRequest(page, { axe: false, email: 'twice@example.org' });
    const first = await sendRequest(page, false);
    await page.goBack();
    // The check page of a sent draft leads back to its confirmation; posting again changes nothing.
    await page.goto('/demande/verification/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demande envoyée');
    const response = await page.request.post('/demande/verification/?_action=request.submit', { form: { consent: 'yes' }, headers: { Origin: new URL(page.url()).origin }, maxRedirects: 0 });
    expect(response.status()).toBe(303);
    await page.reload();
    await expect(page.locator('.g-reference')).toHaveText(first.reference);
    expect(await countRows('requesters', 'email = ?', ['twice@example.org'])).toBe(1);
    // "Make another request" starts a new, empty one.
    await page.getByRole('link', { name: 'Faire une autre demande' }).click();
    await page.getByRole('link', { name: 'Commencer' }).click();
    await expect(page.getByLabel('Nom de la démarche ou du service')).toHaveValue('');
    await page.getByLabel('Nom de la démarche ou du service').fill('Une autre démarche');
    await page.getByLabel('Autre chose').check();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Décrivez ce qui vous bloque');
  });

  test('the resident closes a request that is solved, and it takes no more replies', async ({ page }) => {
    await fileRequest(page, { axe: false, email: 'closing@example.org' });
    const { link } = await sendRequest(page, false);
    await page.goto(link);
    await page.getByRole('button', { name: 'Oui, fermer ma demande' }).click();
    await expect(page.getByRole('status')).toHaveText('Votre demande est fermée. Merci de nous avoir prévenus.');
    await expect(page.locator('.g-status')).toHaveText('Fermée');
    await expect(page.getByLabel('Votre message')).toHaveCount(0);
  });

  test('in English, the form speaks English', async ({ page }) => {
    await page.goto('/en/request/');
    await page.getByRole('link', { name: 'Start' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Which procedure were you trying to do?');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('#error-summary')).toContainText('Enter the procedure you were trying to do');
    await expect(page.locator('#f-procedure-error')).toContainText('Enter the procedure you were trying to do');
  });
});
