// A person's rights over their data, exercised by an administrator: find by email or phone,
// export everything as a file, erase it after confirming; both written to the audit log.
import { expect, test } from '@playwright/test';
import { DEMO_ADMIN, DEMO_AGENT, DEMO_PASSWORD, signIn } from './agent-helpers';
import { expectAccessible, expectFieldError, fileRequest, pngFile, query, sendRequest } from './request-helpers';

test('an administrator exports, then erases, everything held about one person', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const email = `droits-${Date.now()}@example.org`;
  const description = `Données de ${email} : mon paiement ne passe pas.`;
  await fileRequest(page, { email, description, files: [pngFile('justificatif.png')], axe: false });
  const { reference, link } = await sendRequest(page, false);

  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await page.getByRole('link', { name: 'Données personnelles' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Données d’une personne');
  // Neither an email address nor a phone number: said next to the field and in the summary.
  await page.getByLabel('Adresse e-mail ou numéro de téléphone').fill('pas une adresse');
  await page.getByRole('button', { name: 'Chercher' }).click();
  await expectFieldError(page, 'f-contact', /Saisissez une adresse e-mail/);
  await expect(page.getByLabel('Adresse e-mail ou numéro de téléphone')).toHaveValue('pas une adresse');

  await page.getByLabel('Adresse e-mail ou numéro de téléphone').fill(email.toUpperCase());
  await page.getByRole('button', { name: 'Chercher' }).click();
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('1 demande trouvée');
  await expect(page.getByRole('link', { name: reference })).toBeVisible();
  await expectAccessible(page, 'privacy page with a person found');

  // The export: one JSON file with the person, the request, the conversation and the file itself.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger les données (JSON)' }).click();
  const file = await download;
  const data = JSON.parse(await (await import('node:fs/promises')).readFile((await file.path())!, 'utf8'));
  expect(data.people[0].email).toBe(email);
  expect(data.requests[0].description).toBe(description);
  expect(data.files.map((f: { file_name: string }) => f.file_name)).toEqual(['justificatif.png']);
  expect(Buffer.from(data.files[0].data, 'base64').subarray(1, 4).toString()).toBe('PNG');
  expect(data.mails.some((m: { kind: string }) => m.kind === 'acknowledgement')).toBe(true);

  // Erasing needs the box ticked; then the request keeps no personal data.
  await page.getByRole('button', { name: 'Effacer les données' }).click();
  await expect(page.locator('#error-summary')).toContainText('Cochez la case pour confirmer l’effacement');
  expect((await query('select anonymized_at from requests where reference = ?', [reference.replaceAll('-', '')]))[0]!.anonymized_at).toBeNull();
  await page.getByLabel(`Je confirme l’effacement de toutes les données de ${email.toUpperCase()}`).check();
  await page.getByRole('button', { name: 'Effacer les données' }).click();
  await expect(page.getByRole('status')).toHaveText('Données effacées : 1 demande anonymisée.');
  const [row] = await query('select r.status, r.description, r.anonymized_at, p.email, p.name from requests r join requesters p on p.id = r.requester_id where r.reference = ?', [reference.replaceAll('-', '')]);
  expect(row).toMatchObject({ status: 'closed', description: 'Anonymisé', email: null, name: 'Anonymisé' });
  expect(row!.anonymized_at).not.toBeNull();
  expect(await query('select id from attachments where request_id = (select id from requests where reference = ?)', [reference.replaceAll('-', '')])).toHaveLength(0);
  expect(await query('select id from mail_outbox where lower(to_address) = ?', [email])).toHaveLength(0);
  // The private link leads nowhere now.
  expect((await page.request.get(link)).status()).toBe(404);

  // Both actions are in the log, without the contact searched for.
  await page.goto('/agent/admin/journal/');
  await expect(page.locator('main')).toContainText('Données d’une personne exportées');
  await expect(page.locator('main')).toContainText('Données d’une personne effacées');
  const entries = await query("select details from audit_log where action like 'privacy.%' and details like ?", [`%${reference.replaceAll('-', '')}%`]);
  expect(entries).toHaveLength(2);
  for (const entry of entries) expect(String(entry.details)).not.toContain(email);

  // An agent who is not an administrator can do neither.
  const other = await browser.newPage();
  await signIn(other, DEMO_AGENT, DEMO_PASSWORD);
  expect((await other.request.get(`/agent/admin/donnees/export.json?contact=${encodeURIComponent(email)}`)).status()).toBe(403);
  await other.goto('/agent/admin/donnees/');
  await expect(other.getByRole('heading', { level: 1 })).toHaveText('Accès refusé');
  await other.close();
});
