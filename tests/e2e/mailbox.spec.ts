// Requests received by mail, from the administrator's side: connecting the mailbox (a real IMAP
// server started here; the built server connects to it), a refused setting said next to its
// field, reading it at once, the message become a request in the workspace, switching it off.
import { expect, test } from '@playwright/test';
import { DEMO_ADMIN, DEMO_PASSWORD, signIn } from './agent-helpers';
import { expectAccessible, expectFieldError, query } from './request-helpers';
import { type ImapServer, MAILBOX, message, PDF, startImapServer } from '../helpers/imap';

// One mailbox setting for the whole portal: these tests take turns.
test.describe.configure({ mode: 'serial' });

let imap: ImapServer;
test.beforeEach(async () => {
  imap = await startImapServer();
});
test.afterEach(async ({ page }) => {
  // Left switched off, so that no other test's server keeps reading a mailbox that is gone.
  await page.goto('/agent/admin/courriel/');
  if (await page.getByRole('checkbox', { name: /Lire cette boîte/ }).isChecked()) {
    await page.getByRole('checkbox', { name: /Lire cette boîte/ }).uncheck();
    await page.getByRole('button', { name: 'Enregistrer et vérifier la connexion' }).click();
  }
  await imap.stop();
});

async function fillMailbox(page: import('@playwright/test').Page, password: string) {
  await page.getByRole('checkbox', { name: 'Lire cette boîte et faire de chaque nouveau message une demande' }).check();
  await page.getByLabel('Adresse de la boîte').fill(MAILBOX.user);
  await page.getByLabel('Serveur IMAP').fill('127.0.0.1');
  await page.getByLabel('Chiffrement').selectOption({ label: 'Aucun (réseau interne seulement)' });
  await page.getByLabel('Port').fill(String(imap.port));
  await page.getByLabel('Identifiant').fill(MAILBOX.user);
  await page.getByLabel('Mot de passe').fill(password);
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('an administrator connects the mailbox; a message with a PDF becomes a request on the e-mail channel; audit-logged', async ({ page }) => {
    test.setTimeout(120_000);
    await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Menu de l’espace agents' }).getByRole('link', { name: 'Boîte de réception' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes reçues par e-mail');

    // Nothing typed: each missing setting said next to its field and in the summary.
    await page.getByLabel('Serveur IMAP').fill('imap://mail.example.org');
    await page.getByRole('button', { name: 'Enregistrer et vérifier la connexion' }).click();
    await expect(page.locator('#error-summary')).toContainText('Saisissez l’adresse de la boîte');
    await expectFieldError(page, 'f-host', 'Saisissez un nom de serveur, par exemple imap.mairie.fr, sans « imap:// » ni espace');
    await expectFieldError(page, 'f-password', 'Saisissez le mot de passe de la boîte');
    await expect(page.getByLabel('Serveur IMAP')).toHaveValue('imap://mail.example.org');

    // A wrong password: the server is asked, refuses, and nothing is saved.
    await fillMailbox(page, 'pas-le-bon');
    await page.getByRole('button', { name: 'Enregistrer et vérifier la connexion' }).click();
    await expectFieldError(page, 'f-password', 'Le serveur a refusé l’identifiant ou le mot de passe');
    await expect(page.getByLabel('Port')).toHaveValue(String(imap.port));
    const enabledRows = async () => Number((await query('select count(*) as n from mail_intake where enabled = 1'))[0]!.n);
    expect(await enabledRows()).toBe(0);

    await fillMailbox(page, MAILBOX.pass);
    await page.getByRole('button', { name: 'Enregistrer et vérifier la connexion' }).click();
    await expect(page.getByRole('status').first()).toContainText('la connexion à la boîte fonctionne');
    await expect(page.locator('.g-summary')).toContainText(`Active : les messages envoyés à ${MAILBOX.user} deviennent des demandes.`);
    // The password is never shown again.
    await expect(page.getByLabel('Mot de passe')).toHaveValue('');
    expect(await enabledRows()).toBe(1);

    // A resident writes, with a PDF; the mailbox is read at once (or by the server's own minute, whichever comes first).
    const tag = `courriel${Date.now().toString(36)}`;
    await imap.deliver(message({ from: 'Hélène Roux <helene.roux@example.net>', subject: `Facture de l’eau ${tag}`, text: 'Bonjour, je ne trouve pas ma facture dans mon espace.', attachments: [{ fileName: 'courrier.pdf', contentType: 'application/pdf', data: PDF }] }));
    await page.getByRole('button', { name: 'Relever la boîte maintenant' }).click();
    await expect(page.getByRole('status').first()).toContainText(/Boîte relevée|déjà en cours de lecture/);
    await expect
      .poll(async () => (await query('select r.reference, r.intake from requests r where r.procedure = ?', [`Facture de l’eau ${tag}`]))[0], { timeout: 60_000 })
      .toMatchObject({ intake: 'email' });
    const reference = String((await query('select reference from requests where procedure = ?', [`Facture de l’eau ${tag}`]))[0]!.reference);

    await page.goto(`/agent/demandes/${reference}/`);
    await expect(page.locator('main')).toContainText('E-mail reçu');
    await expect(page.locator('main')).toContainText('Bonjour, je ne trouve pas ma facture dans mon espace.');
    await expect(page.getByRole('link', { name: /courrier\.pdf/ })).toBeVisible();

    await page.goto('/agent/admin/journal/');
    await expect(page.locator('main')).toContainText('Boîte de réception changée');

    // Switched off: said so, and not read any more.
    await page.goto('/agent/admin/courriel/');
    await page.getByRole('checkbox', { name: /Lire cette boîte/ }).uncheck();
    await page.getByRole('button', { name: 'Enregistrer et vérifier la connexion' }).click();
    await expect(page.getByRole('status').first()).toContainText('la boîte n’est pas lue');
    expect(await enabledRows()).toBe(0);
  });
});

test('the mailbox page passes axe: fresh, refused, connected with its reading status', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await page.goto('/agent/admin/courriel/');
  await expectAccessible(page, 'mailbox page');
  await page.getByLabel('Port').fill('99999');
  await page.getByRole('button', { name: 'Enregistrer et vérifier la connexion' }).click();
  await expectFieldError(page, 'f-port', 'Saisissez un port entre 1 et 65535, par exemple 993');
  await expectAccessible(page, 'mailbox page, refused');
  await fillMailbox(page, MAILBOX.pass);
  await page.getByRole('button', { name: 'Enregistrer et vérifier la connexion' }).click();
  await expect(page.getByRole('status').first()).toContainText('la connexion à la boîte fonctionne');
  await imap.deliver(message({ from: 'robot@example.com', subject: 'Absence', text: 'Absent.', headers: { 'Auto-Submitted': 'auto-replied' } }));
  await page.getByRole('button', { name: 'Relever la boîte maintenant' }).click();
  await expect(page.getByRole('status').first()).toContainText(/Boîte relevée|déjà en cours de lecture/);
  await expectAccessible(page, 'mailbox page, connected');
});
