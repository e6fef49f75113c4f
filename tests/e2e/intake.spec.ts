// What arrives by phone, at the counter, by letter: an agent files a request for a resident
// without email and prints the slip (a real PDF, read back: the reference and a QR code that
// decodes to a working private link); the resident follows it and replies. A question settled
// on the spot is counted in the report's channel table. All of it without JavaScript.
import { expect, type Page, test } from '@playwright/test';
import { DEMO_AGENT, DEMO_PASSWORD, signIn } from './agent-helpers';
import { pdfQrCode, pdfText } from './pdf';
import { expectAccessible, expectFieldError, query } from './request-helpers';


const tagOf = (label: string) => `${label}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The report's row for a channel: requests, settled on the spot, total. */
async function channelRow(page: Page, channel: string) {
  await page.goto('/agent/rapports/?periode=7j');
  const table = page.locator('table', { has: page.locator('caption', { hasText: 'Demandes et questions réglées sur place, par canal' }) });
  const row = table.locator('tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${channel}$`) }) });
  const cells = await row.locator('td').allTextContents();
  const number = (text: string | undefined) => Number((text ?? '').replace(/\s/g, ''));
  return { requests: number(cells[0]), quick: number(cells[1]), total: number(cells[2]) };
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

test('a phone request for a resident without email: the slip, its QR code, the resident replies; an answer on the spot in the reports', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const tag = tagOf('accueil');
  await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
  const phoneBefore = await channelRow(page, 'Téléphone');
  const counterBefore = await channelRow(page, 'Accueil physique');

  await page.goto('/agent/');
  await page.getByRole('navigation', { name: 'Menu de l’espace agents' }).getByRole('link', { name: 'Accueil et téléphone' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accueil, téléphone, courrier');
  await page.getByRole('link', { name: 'Déposer une demande pour une personne' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nouvelle demande pour une personne');

  // Nothing chosen: every message next to its field and in the summary, nothing stored.
  const before = Number((await query('select count(*) as n from requests'))[0]!.n);
  await page.getByLabel('Nom et prénom de la personne').fill('Odile Fournier');
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  await expect(page.locator('#error-summary')).toContainText('Choisissez par où la demande est arrivée.');
  await expectFieldError(page, 'f-intake', 'Choisissez par où la demande est arrivée.');
  await expectFieldError(page, 'f-description', /Décrivez/);
  await expect(page.getByLabel('Nom et prénom de la personne')).toHaveValue('Odile Fournier');
  expect(Number((await query('select count(*) as n from requests'))[0]!.n)).toBe(before);

  await page.getByRole('radio', { name: 'Téléphone' }).check();
  await page.getByLabel('Nom de la démarche ou du service').fill('Payer la cantine');
  await page.getByLabel('Catégorie').selectOption({ label: 'Paiement' });
  await page.getByLabel('Ce qui se passe').fill(`Elle n’a pas d’internet et ne peut pas payer la cantine en ligne (${tag}).`);
  await page.getByRole('radio', { name: 'Rappel téléphonique' }).check();
  await page.getByLabel('Numéro de téléphone').fill('06 11 22 33 44');
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  await expect(page.getByRole('status')).toContainText('Demande déposée. La personne n’a pas d’e-mail : imprimez-lui la fiche');
  const digits = /\/agent\/demandes\/(\d{9})\//.exec(page.url())![1]!;
  const reference = digits.replace(/(\d{3})(\d{3})(\d{3})/, '$1-$2-$3');
  const [stored] = await query('select r.id, r.intake, r.channel, r.assignee_id, q.email, q.phone, a.email as agent from requests r join requesters q on q.id = r.requester_id left join agents a on a.id = r.assignee_id where r.reference = ?', [digits]);
  expect(stored).toMatchObject({ intake: 'phone', channel: 'phone', email: null, phone: '0611223344', agent: DEMO_AGENT });
  const requestId = Number(stored!.id);
  await expect(page.locator('#demandeur')).toBeVisible();
  await expect(page.getByText('Reçue par')).toBeVisible();

  // The slip: printed as a PDF, read back.
  await page.getByRole('link', { name: 'Imprimer la fiche pour la personne' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Votre demande d’aide');
  const file = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const { pages, text } = await pdfText(file);
  expect(pages).toBe(1);
  expect(text).toContain(reference);
  expect(text).toContain('Nous vous rappelons au 06 11 22 33 44');
  const link = await pdfQrCode(file);
  expect(link).toMatch(new RegExp(`^${new URL(page.url()).origin}/suivi/[a-z2-7]{52}/$`));
  // The receipt format prints too, with the same kind of code.
  await page.getByRole('link', { name: 'Format ticket (80 mm)' }).click();
  const ticket = await page.pdf({ preferCSSPageSize: true });
  expect((await pdfText(ticket)).text).toContain(reference);
  expect(await pdfQrCode(ticket)).toMatch(/\/suivi\/[a-z2-7]{52}\/$/);

  const audit = await query(`select action from audit_log where request_id = ? and action in ('request.file', 'request.slip') order by id`, [requestId]);
  expect(audit.map((row) => row.action)).toEqual(['request.file', 'request.slip', 'request.slip']);

  // The resident, at home, opens the link of the slip and replies.
  const home = await browser.newContext({ javaScriptEnabled: false });
  const resident = await home.newPage();
  await resident.goto(link!);
  await expect(resident.getByRole('heading', { level: 1 })).toHaveText(`Demande n°\u00a0${reference}`);
  await resident.getByLabel('Votre message').fill('Je suis disponible le matin.');
  await resident.getByRole('button', { name: 'Envoyer le message' }).click();
  await expect(resident.getByRole('status')).toHaveText('Votre message a été envoyé.');
  await home.close();
  const replies = await query(`select body from messages where request_id = ? and author = 'requester'`, [requestId]);
  expect(replies.map((row) => row.body)).toEqual(['Je suis disponible le matin.']);

  // A question settled at the counter: two choices and a click.
  await page.goto('/agent/accueil/');
  await page.getByRole('radio', { name: 'Accueil physique' }).check();
  await page.getByRole('radio', { name: 'Sans équipement' }).check();
  await page.getByRole('button', { name: 'Compter cette réponse' }).click();
  await expect(page.getByRole('status')).toHaveText('Réponse comptée : Accueil physique, Sans équipement.');
  await expect(page.getByRole('radio', { name: 'Accueil physique' })).toBeChecked();
  const [answer] = await query(`select id, channel, category from quick_answers order by id desc limit 1`);
  expect(answer).toMatchObject({ channel: 'counter', category: 'no-device' });
  const [entry] = await query(`select details from audit_log where action = 'quick-answer.record' order by id desc limit 1`);
  expect(JSON.parse(String(entry!.details))).toMatchObject({ id: Number(answer!.id), channel: 'counter' });

  expect(await channelRow(page, 'Téléphone')).toEqual({ requests: phoneBefore.requests + 1, quick: phoneBefore.quick, total: phoneBefore.total + 1 });
  expect(await channelRow(page, 'Accueil physique')).toEqual({ requests: counterBefore.requests, quick: counterBefore.quick + 1, total: counterBefore.total + 1 });
});
});

// axe runs in the page: these states are checked with JavaScript on.
test('axe at zero on the counter page, the form (fresh and refused), the request filed, the slip in both formats, the channel table', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
  await page.goto('/agent/accueil/');
  await expectAccessible(page, 'counter page');
  await page.getByRole('radio', { name: 'Courrier' }).check();
  await page.getByRole('radio', { name: 'Autre' }).check();
  await page.getByRole('button', { name: 'Compter cette réponse' }).click();
  await expect(page.getByRole('status')).toHaveText('Réponse comptée : Courrier, Autre.');
  await expectAccessible(page, 'counter page after an answer');
  await page.getByRole('link', { name: 'Déposer une demande pour une personne' }).click();
  await expectAccessible(page, 'request form for a resident');
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  await expect(page.locator('#error-summary')).toBeVisible();
  await expectAccessible(page, 'request form for a resident, refused');
  await page.getByRole('radio', { name: 'Accueil physique' }).check();
  await page.getByLabel('Nom de la démarche ou du service').fill('Inscription à l’école');
  await page.getByLabel('Catégorie').selectOption({ label: 'Envoi de documents' });
  await page.getByLabel('Ce qui se passe').fill('Il n’arrive pas à envoyer le justificatif de domicile.');
  await page.getByLabel('Nom et prénom de la personne').fill('René Vidal');
  await page.getByRole('radio', { name: 'Rendez-vous' }).check();
  await page.getByLabel('Lieu du rendez-vous').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Déposer la demande' }).click();
  await expect(page.getByRole('status')).toContainText('Demande déposée.');
  await expectAccessible(page, 'request filed for a resident');
  await page.getByRole('link', { name: 'Imprimer la fiche pour la personne' }).click();
  await expect(page.getByText(/Nous vous proposons un rendez-vous/)).toBeVisible();
  await expectAccessible(page, 'slip (A4)');
  await page.getByRole('link', { name: 'Format ticket (80 mm)' }).click();
  await expectAccessible(page, 'slip (receipt)');
  await page.goto('/agent/rapports/?periode=7j');
  await expectAccessible(page, 'reports with the channel table');
});
