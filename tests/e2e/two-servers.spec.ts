// Two server processes on one database file serve the same people: what one stores, the other
// shows; a draft, a session, the rate limits and the search index live in the database, not in
// a process.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { DEMO_AGENT, DEMO_PASSWORD, signIn } from './agent-helpers';
import { fileRequest, sendRequest } from './request-helpers';
import { type ServerProcess, startServerProcess, startTwoServers } from './server-process';

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

test('a server with no index on disk copies the one stored in the database; with another of its indexes on disk, it serves that one until its own is ready', async () => {
  test.setTimeout(120_000);
  const indexOf = async (origin: string) => /\/pagefind\/([0-9a-f]{20})\//.exec(await (await fetch(`${origin}/recherche/`)).text())?.[1];
  const finds = async (origin: string) => (await (await fetch(`${origin}/recherche/?q=cantine`)).text()).includes('<li><a href="/faq/');
  const name = await indexOf(first.origin);
  expect(name).toBeTruthy();
  // Stored in the database by the server that built it.
  const db = createClient({ url: `file:${dbFile}` });
  await expect.poll(async () => (await db.execute({ sql: "select state from search_indexes where name = ?", args: [name!] })).rows[0]?.state, { timeout: 30_000 }).toBe('ready');
  const local = join(dirname(dbFile), `two-servers-index-${Date.now()}`);
  const servers: ServerProcess[] = [];
  try {
    // A new machine: its own, empty index folder.
    const copier = await startServerProcess(dbFile, { SEARCH_INDEX_DIR: join(local, 'new') });
    servers.push(copier);
    await expect.poll(() => finds(copier.origin), { timeout: 30_000 }).toBe(true);
    expect(await indexOf(copier.origin)).toBe(name);
    expect(existsSync(join(local, 'new', name!, 'pagefind', 'pagefind-entry.json'))).toBe(true);
    expect(copier.output()).not.toContain('pages indexed');

    // An upgrade: the index of this name is neither on disk nor stored, and another server
    // has claimed its building; an older index of the same database is on disk.
    const older = 'f'.repeat(20);
    cpSync(join(local, 'new', name!), join(local, 'upgrade', older), { recursive: true });
    await db.batch([{ sql: 'delete from search_index_files where index_name = ?', args: [name!] }, { sql: "update search_indexes set state = 'building', claimed_at = ? where name = ?", args: [Date.now(), name!] }], 'write');
    const upgraded = await startServerProcess(dbFile, { SEARCH_INDEX_DIR: join(local, 'upgrade') });
    servers.push(upgraded);
    // The older index answers meanwhile.
    expect(await indexOf(upgraded.origin)).toBe(older);
    expect(await finds(upgraded.origin)).toBe(true);
    // The claim let go (as a server that fails lets it go): this one builds its own and swaps it in.
    await db.execute({ sql: 'delete from search_indexes where name = ?', args: [name!] });
    await expect.poll(() => indexOf(upgraded.origin), { timeout: 60_000 }).toBe(name);
    expect(await finds(upgraded.origin)).toBe(true);
    expect(upgraded.output()).toContain('pages indexed');
  } finally {
    for (const server of servers) {
      server.signal('SIGTERM');
      await server.exited;
    }
    db.close();
    rmSync(local, { recursive: true, force: true });
  }
});
