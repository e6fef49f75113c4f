// Two server processes on one database file serve the same people: what one stores, the other
// shows; a draft, a session and the rate limits live in the database, not in a process.
import { expect, test } from '@playwright/test';
import { DEMO_AGENT, DEMO_PASSWORD, signIn } from './agent-helpers';
import { fileRequest, sendRequest } from './request-helpers';
import { type ServerProcess, startTwoServers } from './server-process';

const dbFile = `${process.env.GUICHET_E2E_DB}.two-servers.db`;
let first: ServerProcess;
let second: ServerProcess;
let stop: () => Promise<void>;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  ({ first, second, stop } = await startTwoServers(dbFile));
});

test.afterAll(async () => stop?.());

test('a request started on one server is finished on the other, and both show it to residents and agents', async ({ browser }) => {
  test.setTimeout(90_000);
  const context = await browser.newContext({ baseURL: first.origin });
  const page = await context.newPage();
  const description = `Deux serveurs ${Date.now()} : le paiement de la cantine échoue.`;
  await fileRequest(page, { description, axe: false });
  // The draft lives in the database: the check page on the other server shows the same answers.
  const checkPath = new URL(page.url()).pathname;
  await page.goto(`${second.origin}${checkPath}`);
  await expect(page.getByText(description)).toBeVisible();
  const { reference, link } = await sendRequest(page, false);

  // The private link works on both.
  for (const origin of [first.origin, second.origin]) {
    await page.goto(`${origin}${link}`);
    await expect(page.getByText(description), origin).toBeVisible();
  }

  // An agent signs in on the first server; the session works on the second (cookies ignore the port).
  await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');
  await page.goto(`${second.origin}/agent/demandes/${reference.replaceAll('-', '')}/`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(reference);
  await expect(page.getByText(description)).toBeVisible();
  await context.close();
});

test('failed sign-ins count across both servers', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = `deux-serveurs-${Date.now()}@example.org`;
  const attempt = async (origin: string, password: string) => {
    await page.goto(`${origin}/agent/connexion/`);
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe', { exact: false }).first().fill(password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
  };
  // Five failures, alternating servers: the sixth is refused whichever server gets it.
  for (let i = 0; i < 5; i += 1) {
    await attempt(i % 2 === 0 ? first.origin : second.origin, `essai ${i}`);
    await expect(page.locator('#error-summary')).not.toContainText('Trop d’essais');
  }
  await attempt(second.origin, 'encore un essai');
  await expect(page.locator('#error-summary')).toContainText(/Trop d’essais\. Attendez \d+ min/);
  await attempt(first.origin, 'et encore un');
  await expect(page.locator('#error-summary')).toContainText(/Trop d’essais\. Attendez \d+ min/);
  await context.close();
});
