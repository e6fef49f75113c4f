// The authority's calendar, end to end, on a server of its own (the other tests' due dates stay
// on the default hours): an administrator opens Saturday mornings and closes the service from
// today for two weeks; the resident's form offers Saturday callbacks and says when calls are
// made, the private link says the line is closed and why, the request's due date falls after
// the closure, and the counter page tells the agent. No JavaScript needed for any of it.
import { createClient } from '@libsql/client';
import { type Browser, expect, test } from '@playwright/test';
import { DEMO_ADMIN, DEMO_PASSWORD, signIn } from './agent-helpers';
import { fileRequest, sendRequest } from './request-helpers';
import { removeDatabase, type ServerProcess, startServerProcess } from './server-process';

test.use({ javaScriptEnabled: false });

let server: ServerProcess;
const dbFile = () => `${process.env.GUICHET_E2E_DB}.calendar.db`;
test.beforeAll(async () => {
  removeDatabase(dbFile());
  server = await startServerProcess(dbFile(), { GUICHET_DEMO: '1' });
});
test.afterAll(async () => {
  server.signal('SIGTERM');
  await server.exited;
  removeDatabase(dbFile());
});

const context = (browser: Browser) => browser.newContext({ baseURL: server.origin, javaScriptEnabled: false });

/** A resident's draft up to the "how should we answer" step. */
async function answerStep(browser: Browser) {
  const resident = await context(browser);
  const page = await resident.newPage();
  const post = (path: string, form: Record<string, string>) => page.request.post(path, { headers: { Origin: server.origin }, form, maxRedirects: 0 });
  for (const [path, form] of [
    ['/demande/demarche/?_action=request.step', { step: 'procedure', procedure: 'Payer la cantine', category: 'payment' }],
    ['/demande/probleme/?_action=request.step', { step: 'problem', description: 'Le paiement est refusé.' }],
    ['/demande/qui/?_action=request.step', { step: 'who', who: 'resident' }],
    ['/demande/identite/?_action=request.step', { step: 'about', name: 'Martine Lefèvre' }],
  ] as const) expect((await post(path, form)).status(), path).toBe(303);
  await page.goto('/demande/reponse/');
  const slots = await page.locator('input[name="callbackSlots"]').evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
  const hint = (await page.locator('fieldset', { has: page.locator('input[name="callbackSlots"]') }).locator('.g-hint').textContent())!.trim();
  await resident.close();
  return { slots, hint };
}

/** From yesterday (so that midnight passing during the test changes nothing) to two weeks on, in Paris, as the closures field takes them (dd/mm/yyyy). */
function closureDates() {
  const format = (date: Date) => new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Paris' }).format(date);
  const now = new Date();
  return { from: format(new Date(now.getTime() - 86_400_000)), to: format(new Date(now.getTime() + 14 * 86_400_000)), toIso: new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(now.getTime() + 14 * 86_400_000)) };
}

test('the hours and closures an administrator sets are the ones residents and agents are told, and due dates follow them', async ({ browser }) => {
  test.setTimeout(120_000);
  const before = await answerStep(browser);
  expect(before.slots).toEqual(['weekday-morning', 'weekday-afternoon', 'any-time']);
  expect(before.hint).toBe('Nous appelons du lundi au vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h.');

  const admin = await context(browser);
  const page = await admin.newPage();
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await page.goto('/agent/admin/reglages/');
  await page.getByLabel('Samedi, Première période, Ouverture').fill('09:00');
  await page.getByLabel('Samedi, Première période, Fermeture').fill('12:00');
  const { from, to, toIso } = closureDates();
  await page.getByLabel('Fermetures exceptionnelles').fill(`${from} au ${to} Inventaire annuel`);
  await page.getByRole('button', { name: 'Enregistrer les horaires' }).click();
  await expect(page.getByRole('status')).toHaveText('Réglages enregistrés.');

  // The resident's form: Saturday mornings offered, the hours in words.
  const after = await answerStep(browser);
  expect(after.slots).toEqual(['weekday-morning', 'weekday-afternoon', 'saturday-morning', 'any-time']);
  expect(after.hint).toBe('Nous appelons du lundi au vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h, le samedi de 9 h à 12 h.');

  // A request sent during the closure: its link says the line is closed and why; it is due after the closure.
  const resident = await context(browser);
  const residentPage = await resident.newPage();
  await fileRequest(residentPage, { email: 'calendrier@example.org', axe: false });
  const { digits, link } = await sendRequest(residentPage, false);
  await residentPage.goto(link);
  await expect(residentPage.locator('.g-panel').first()).toContainText('appelez le 03 80 00 12 34 (du lundi au vendredi de 9 h à 12 h 30 et de 13 h 30 à 17 h, le samedi de 9 h à 12 h) : fermé en ce moment (Inventaire annuel), réouverture le');
  const db = createClient({ url: `file:${dbFile()}` });
  try {
    const [row] = (await db.execute({ sql: 'select due_at from requests where reference = ?', args: [digits] })).rows;
    const due = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Number(row!.due_at)));
    expect(due > toIso, `due ${due}, closure until ${toIso}`).toBe(true);
  } finally {
    db.close();
  }
  await resident.close();

  // The agent at the counter is told too.
  await page.goto('/agent/accueil/');
  await expect(page.locator('main')).toContainText('Service d’aide : fermé en ce moment (Inventaire annuel), réouverture le');
  await admin.close();
});
