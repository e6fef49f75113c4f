import { type APIRequestContext, expect, request as playwrightRequest, test } from '@playwright/test';
import { choosePassword, DEMO_ADMIN, DEMO_AGENT, DEMO_PASSWORD, inviteAgent, signIn, signOut } from './agent-helpers';
import { countRows, expectAccessible, query } from './request-helpers';
import { removeDatabase, startServerProcess } from './server-process';

const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4322}`;
const ADMIN_PAGES = ['/agent/admin/', '/agent/admin/reglages/', '/agent/admin/courriel/', '/agent/annonces/', '/agent/admin/reponses/', '/agent/admin/journal/', '/agent/enquetes/', '/agent/enquetes/1/'];
const ACTIONS = ['write', 'merge', 'invite', 'changeAgent', 'targets', 'hours', 'savedReply', 'objectives', 'survey', 'file', 'quickAnswer', 'mailbox', 'mailboxCheck', 'announcement', 'deleteAnnouncement', 'problem', 'problemLink', 'problemUnlink', 'problemReply', 'problemClose', 'problemCalled', 'trainingPath', 'trainingStep', 'chatPresence', 'chatTake', 'chatEnd', 'chatHandOver', 'chatCallback', 'chatSettings'];

/** A mailbox setting that would be saved as it is (reading off, so no connection is tried). */
const MAILBOX_FORM = { offerAfter: '9', available: 'yes', places: '3', to: '1', phone: '01 23 45 67 89', address: 'intrus@example.org', host: '127.0.0.1', port: '1', security: 'none', username: 'intrus', password: 'p', folder: 'INBOX', locale: 'fr', starts: '2027-01-05', id: '1', problem: '1', references: '', ref: '', message: 'intrus', resolveAll: 'yes', subscription: '1' };

async function someReference() {
  // The first page that reads the database seeds the demo data.
  await fetch(`${BASE}/agent/connexion/`);
  const [row] = await query('select reference, id from requests order by id limit 1');
  return { reference: String(row!.reference), id: Number(row!.id) };
}

/**
 * What the forged posts below would have written, had any of them run. Scoped to their own
 * values and to the request they name, since other tests write to the same tables meanwhile.
 */
const NO_TRACE = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const traces = async (since: number, requestId: number) =>
  Promise.all([
    countRows('messages', "body = 'intrus'"),
    countRows('agents', "email like 'intrus%'"),
    countRows('saved_replies', "title = 't'"),
    countRows('surveys', "title = 't'"),
    countRows('workspace_settings', `updated_at >= ? and ((key = 'hours' and value like '%["08:00","09:00"]%') or (key = 'objectives' and value like '%"satisfied":10,%') or key = 'chat')`, [since]),
    countRows('status_history', 'request_id = ? and created_at >= ?', [requestId, since]),
    countRows('audit_log', "at >= ? and (request_id = ? or (action like 'admin.%' and agent_id = (select id from agents where email = ?)))", [since, requestId, DEMO_AGENT]),
    countRows('requesters', "name = 'Intrus'"),
    countRows('quick_answers', "note = 'intrus'"),
    countRows('mail_intake', "username = 'intrus'"),
    countRows('announcements', "title = 't'"),
    countRows('known_problems', "title = 't'"),
    countRows('training_paths', "title = 't'"),
    countRows('agent_presence', 'heartbeat_at >= ?', [since]),
  ]);

const post = (api: APIRequestContext, path: string, form: Record<string, string>) => api.post(path, { form, headers: { Origin: BASE }, maxRedirects: 0 });

test('a signed-out visitor reaches no /agent/ page or action', async () => {
  const api = await playwrightRequest.newContext({ baseURL: BASE });
  const { reference, id } = await someReference();
  for (const path of ['/agent/', `/agent/demandes/${reference}/`, `/agent/demandes/${reference}/piece/1/`, '/agent/annonces/1/affiche/', '/agent/problemes/', '/agent/problemes/1/', '/agent/discussions/', '/agent/discussions/evenements/', '/agent/aide-interne/', '/agent/aide-interne/parcours/1/', '/agent/rapports/', '/agent/rapports/synthese/', '/agent/rapports/categories.csv', '/agent/enquetes/1/reponses.csv', ...ADMIN_PAGES]) {
    const response = await api.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(303);
    expect(response.headers().location, path).toMatch(/^\/agent\/connexion\/\?retour=/);
  }
  const since = Date.now();
  for (const action of ACTIONS) {
    const response = await post(api, `/agent/demandes/${reference}/?_action=agent.${action}`, { reference, kind: 'note', body: 'intrus', status: 'closed', name: 'Intrus', email: 'intrus@example.org', role: 'admin', agent: '1', active: '0', title: 't', 'd1-a-open': '08:00', 'd1-a-close': '09:00', area: 'metropole', closures: '', intent: 'create', audience: 'agents', 'objective-satisfied': '10', intake: 'phone', procedure: 'Payer la cantine', category: 'payment', description: 'intrus', who: 'resident', channel: 'email', 'qa-channel': 'phone', 'qa-category': 'other', 'qa-note': 'intrus', ...MAILBOX_FORM });
    expect(response.status(), action).toBe(303);
    expect(response.headers().location, action).toMatch(/^\/agent\/connexion\//);
  }
  // Called as an RPC (the way the actions client would), too: refused, never run.
  const rpc = await api.post('/_actions/agent.write', { form: { reference, kind: 'note', body: 'intrus' }, headers: { Origin: BASE } });
  expect([401, 404]).toContain(rpc.status());
  expect(await traces(since, id)).toEqual(NO_TRACE);
  await api.dispose();
});

test('an agent cannot reach administration', async ({ page }) => {
  await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');
  await expect(page.getByRole('navigation', { name: 'Menu de l’espace agents' }).getByRole('link')).toHaveText(['Demandes', 'Discussions', 'Accueil et téléphone', 'Problèmes connus', 'Rapports', 'Aide en ligne', 'Aide interne']);
  for (const path of ADMIN_PAGES) {
    const response = await page.goto(path);
    expect(response!.status(), path).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accès refusé');
  }
  await expectAccessible(page, 'access denied');
  const { id } = await someReference();
  const since = Date.now();
  for (const action of ['invite', 'changeAgent', 'targets', 'hours', 'savedReply', 'objectives', 'survey', 'helpPublishers', 'mailbox', 'mailboxCheck', 'results', 'announcement', 'deleteAnnouncement', 'chatSettings']) {
    const response = await page.request.post(`/agent/admin/?_action=agent.${action}`, { form: { name: 'Intrus', email: `intrus-${action}@example.org`, role: 'admin', agent: '2', active: '0', title: 't', body: 'b', 'd1-a-open': '08:00', 'd1-a-close': '09:00', area: 'metropole', closures: '', intent: 'create', audience: 'agents', 'objective-satisfied': '10', ...MAILBOX_FORM }, headers: { Origin: BASE }, maxRedirects: 0 });
    expect(response.status(), action).toBe(403);
  }
  expect(await traces(since, id)).toEqual(NO_TRACE);
  // Agents write help content but do not publish or withdraw it (the default setting).
  const [entry] = await query("select id, head_revision_id as head from help_entries where kind = 'glossary' and locale = 'fr' order by id limit 1");
  for (const intent of ['publish', 'withdraw']) {
    const response = await page.request.post(`/agent/aide/${entry!.id}/?_action=agent.helpEntry`, { form: { entry: String(entry!.id), kind: 'glossary', base: String(entry!.head), source: 'term: Intrus\ndefinition: Une définition assez longue pour passer.\n', intent }, headers: { Origin: BASE }, maxRedirects: 0 });
    expect(response.status(), intent).toBe(400);
    expect(await response.text(), intent).toContain('Seuls les administrateurs publient');
  }
  expect(await query("select state, published_revision_id = head_revision_id as same from help_entries where id = ?", [entry!.id])).toEqual([expect.objectContaining({ same: 1 })]);
  // Agents read the reports; survey results and their CSV are for administrators.
  expect((await page.goto('/agent/rapports/'))!.status()).toBe(200);
  expect((await page.request.get('/agent/enquetes/1/reponses.csv', { maxRedirects: 0 })).status()).toBe(403);
});

test('a stolen session cookie stops working after sign-out', async ({ page }) => {
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');
  const cookie = (await page.context().cookies()).find((c) => c.name === 'guichet_agent')!;
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
  const thief = await playwrightRequest.newContext({ baseURL: BASE, extraHTTPHeaders: { Cookie: `guichet_agent=${cookie.value}` } });
  expect((await thief.get('/agent/', { maxRedirects: 0 })).status()).toBe(200);
  await signOut(page);
  expect((await thief.get('/agent/', { maxRedirects: 0 })).status()).toBe(303);
  await thief.dispose();
});

test('a deactivated agent’s sessions stop working at once', async ({ browser, page }) => {
  const email = `desactive-${Date.now().toString(36)}@example.org`;
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  const link = await inviteAgent(page, 'Agent Désactivé', email);
  const other = await browser.newContext();
  const agentPage = await other.newPage();
  await choosePassword(agentPage, link, 'une autre phrase longue');
  await signIn(agentPage, email, 'une autre phrase longue');
  await expect(agentPage.getByRole('heading', { level: 1 })).toHaveText('Demandes');

  await page.goto('/agent/admin/');
  await page.getByRole('row', { name: /Agent Désactivé/ }).getByRole('button', { name: 'Désactiver : Agent Désactivé' }).click();
  await expect(page.getByRole('status')).toContainText('Compte modifié');
  await expect(page.getByRole('row', { name: /Agent Désactivé/ })).toContainText('Désactivé');

  await agentPage.reload();
  await expect(agentPage.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’espace agents');
  expect(await countRows('agent_sessions', 'agent_id = (select id from agents where email = ?)', [email])).toBe(0);
  await signIn(agentPage, email, 'une autre phrase longue');
  await expect(agentPage.locator('#error-summary')).toContainText('Adresse e-mail ou mot de passe incorrect');
  await other.close();
});

test.describe('signing in', () => {
  test('a wrong password and an unknown account get the same answer, next to the field and in the summary, the address kept', async ({ page }) => {
    for (const email of [DEMO_AGENT, `inconnu-${Date.now()}@example.org`]) {
      await signIn(page, email, 'pas le bon mot de passe');
      await expect(page).toHaveTitle(/^Erreur\s:/);
      await expect(page.locator('#error-summary')).toContainText('Adresse e-mail ou mot de passe incorrect');
      await expect(page.locator('#f-email-error')).toContainText('Adresse e-mail ou mot de passe incorrect');
      await expect(page.getByLabel('Adresse e-mail')).toHaveValue(email);
      await expect(page.getByLabel('Mot de passe')).toHaveValue('');
    }
    await expectAccessible(page, 'sign-in error');
  });

  test('empty fields are named in the error summary', async ({ page }) => {
    await page.goto('/agent/connexion/');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.locator('#error-summary')).toContainText('Indiquez votre adresse e-mail');
    await expect(page.locator('#error-summary')).toContainText('Indiquez votre mot de passe');
  });

  test('repeated failures on an account are throttled, with a clear message', async ({ page }) => {
    const email = `cible-${Date.now()}@example.org`;
    for (let i = 0; i < 5; i += 1) await signIn(page, email, `essai ${i}`);
    await signIn(page, email, 'encore un essai');
    await expect(page.locator('#error-summary')).toContainText(/Trop d’essais\. Attendez \d+ min/);
  });

  test('an expired session leads back to the sign-in page, then to the page asked for', async ({ page }) => {
    await signIn(page, 'julien.demo@example.org', DEMO_PASSWORD);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');
    await query("update agent_sessions set expires_at = 0 where agent_id = (select id from agents where email = 'julien.demo@example.org')");
    const { reference } = await someReference();
    await page.goto(`/agent/demandes/${reference}/`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Connexion à l’espace agents');
    await page.getByLabel('Adresse e-mail').fill('julien.demo@example.org');
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page).toHaveURL(new RegExp(`/agent/demandes/${reference}/$`));
  });

  test('the sign-in page says when demo accounts exist', async ({ page }) => {
    await page.goto('/agent/connexion/');
    await expect(page.getByRole('heading', { name: 'Mode démonstration' })).toBeVisible();
    await expectAccessible(page, 'sign-in page');
  });
});

test('an agent signs in from their own browser while another client hammers their account with wrong passwords', async ({ browser }) => {
  test.setTimeout(90_000);
  // A server of its own: the hammering counts against this address's limits, which the other
  // tests' server must keep for them.
  const dbFile = `${process.env.GUICHET_E2E_DB}.device.db`;
  removeDatabase(dbFile);
  const server = await startServerProcess(dbFile, { GUICHET_DEMO: '1' });
  const own = await browser.newContext({ baseURL: server.origin });
  const attacker = await browser.newContext({ baseURL: server.origin });
  try {
    const agentPage = await own.newPage();
    await signIn(agentPage, DEMO_AGENT, DEMO_PASSWORD);
    await expect(agentPage.getByRole('heading', { level: 1 })).toHaveText('Demandes');
    expect((await own.cookies()).find((c) => c.name === 'guichet_device')).toMatchObject({ httpOnly: true, path: '/agent/connexion/' });
    await signOut(agentPage);
    // Another browser, from the same address even, tries passwords until it is held back…
    const other = await attacker.newPage();
    for (let i = 0; i < 8; i += 1) await signIn(other, DEMO_AGENT, `mauvais mot de passe ${i}`);
    await expect(other.locator('#error-summary')).toContainText(/Trop d’essais\. Attendez \d+ min/);
    // …and even the right password does not get it in…
    await signIn(other, DEMO_AGENT, DEMO_PASSWORD);
    await expect(other.locator('#error-summary')).toContainText(/Trop d’essais/);
    // …while the agent, from their own browser, signs in at once.
    await signIn(agentPage, DEMO_AGENT, DEMO_PASSWORD);
    await expect(agentPage.getByRole('heading', { level: 1 })).toHaveText('Demandes');
  } finally {
    await own.close();
    await attacker.close();
    server.signal('SIGTERM');
    await server.exited;
    removeDatabase(dbFile);
  }
});
