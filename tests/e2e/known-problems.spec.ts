// Known problems, on a server of its own (its notices would show on every other test's pages),
// mailing to the suite's SMTP server. Without JavaScript: an agent declares a problem; the home,
// topic and request form pages show it; a resident subscribes from the form; three requests are
// linked; one answer reaches all three (tracking pages, mails, audit entries); closing resolves
// them and tells the subscriber. axe, which needs JavaScript, on each new page in its own context.
import { type Browser, expect, type Page, test } from '@playwright/test';
import { createClient, type InValue } from '@libsql/client';
import { DEMO_AGENT, DEMO_PASSWORD, mailsTo, signIn } from './agent-helpers';
import { expectAccessible, expectFieldError, fileRequest, sendRequest } from './request-helpers';
import { removeDatabase, type ServerProcess, startServerProcess } from './server-process';

// One server for both tests, which run in turn.
test.describe.configure({ mode: 'serial' });

let server: ServerProcess;
const dbFile = () => `${process.env.GUICHET_E2E_DB}.problems.db`;
test.beforeAll(async () => {
  removeDatabase(dbFile());
  server = await startServerProcess(dbFile(), { GUICHET_DEMO: '1', GUICHET_WORKERS: '2', SMTP_URL: `smtp://127.0.0.1:${process.env.E2E_SMTP_PORT ?? 4325}`, MAIL_FROM: 'Guichet <aide@example.org>' });
});
test.afterAll(async () => {
  server.signal('SIGTERM');
  await server.exited;
  removeDatabase(dbFile());
});

async function rows(sql: string, args: unknown[] = []) {
  const client = createClient({ url: `file:${dbFile()}`, timeout: 5000 });
  try {
    return (await client.execute({ sql, args: args as InValue[] })).rows;
  } finally {
    client.close();
  }
}
const context = (browser: Browser, javaScriptEnabled = false) => browser.newContext({ baseURL: server.origin, javaScriptEnabled });
const TITLE = 'Le paiement en ligne de la cantine est indisponible';
const run = Date.now().toString(36);
const resident = (n: number) => `parent${n}-${run}@probleme.example`;

async function fileAs(browser: Browser, n: number, procedure: string) {
  const page = await (await context(browser)).newPage();
  await fileRequest(page, { axe: false, procedure, email: resident(n), name: `Parent ${n}` });
  return { page, ...(await sendRequest(page, false)) };
}

/** Reloads until the page (cached by another worker, dropped within a second) shows what is expected. */
async function eventually(page: Page, path: string, check: () => Promise<void>) {
  await expect(async () => {
    await page.goto(path);
    await check();
  }).toPass({ timeout: 15_000 });
}

test('a known problem: declared, shown, subscribed to, three requests answered at once, closed with everyone told', async ({ browser }) => {
  test.setTimeout(240_000);
  // Two requests before the declaration: the first reports of it.
  const first = await fileAs(browser, 1, 'Payer la cantine');
  const second = await fileAs(browser, 2, 'paiement cantine');

  const agent = await (await context(browser)).newPage();
  await signIn(agent, DEMO_AGENT, DEMO_PASSWORD);
  await agent.getByRole('navigation', { name: 'Menu de l’espace agents' }).getByRole('link', { name: 'Problèmes connus' }).click();
  await expect(agent.getByRole('heading', { level: 1 })).toHaveText('Problèmes connus');
  // Refused: the message next to the field, what was typed kept, nothing stored.
  await agent.getByLabel('Démarche concernée').fill('Paiement de la cantine');
  await agent.getByRole('button', { name: 'Déclarer le problème' }).click();
  await expectFieldError(agent, 'f-title', 'Écrivez ce qui ne marche pas');
  await expect(agent.getByLabel('Démarche concernée')).toHaveValue('Paiement de la cantine');
  expect(await rows('select id from known_problems')).toHaveLength(0);
  await agent.getByLabel('Ce qui ne marche pas (obligatoire)').fill(TITLE);
  await agent.getByLabel('Thème de l’aide').selectOption({ label: 'École, cantine et périscolaire' });
  await agent.getByLabel('Que faire en attendant (facultatif)').fill('Payez par chèque à l’accueil de la mairie : aucune pénalité de retard.');
  await agent.getByRole('button', { name: 'Déclarer le problème' }).click();
  await expect(agent.getByRole('status')).toHaveText('Le problème est enregistré et annoncé aux usagers.');
  await expect(agent.getByRole('heading', { level: 1 })).toHaveText(TITLE);
  const problemPage = new URL(agent.url()).pathname;

  // Residents see it: home, the topic's page, and the request form once the procedure is typed.
  const visitor = await (await context(browser)).newPage();
  const notice = visitor.getByRole('region', { name: 'Problème connu en ce moment' });
  await eventually(visitor, '/', async () => await expect(notice).toContainText(TITLE));
  await expect(notice).toContainText('inutile de nous le signaler');
  await eventually(visitor, '/themes/ecole-cantine/', async () => await expect(notice).toContainText('Payez par chèque à l’accueil de la mairie'));
  await visitor.goto('/demande/');
  await visitor.getByRole('link', { name: 'Commencer' }).click();
  await visitor.getByLabel('Nom de la démarche ou du service').fill('Régler la cantine');
  await visitor.getByLabel('Le paiement ne fonctionne pas').check();
  await visitor.getByRole('button', { name: 'Continuer' }).click();
  const formNotice = visitor.getByRole('region', { name: 'Un problème connu touche peut-être votre démarche' });
  await expect(formNotice).toContainText(TITLE);
  // One step: an email address or a phone number. A wrong one first.
  await formNotice.getByLabel('Votre e-mail ou votre numéro de téléphone').fill('voisin@');
  await formNotice.getByRole('button', { name: /Me prévenir/ }).click();
  await expectFieldError(visitor, 'f-contact-1', 'Indiquez une adresse e-mail valide, comme nom@exemple.fr');
  await expect(visitor.getByLabel('Votre e-mail ou votre numéro de téléphone')).toHaveValue('voisin@');
  await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('Décrivez ce qui vous bloque');
  const subscriber = `voisin-${run}@probleme.example`;
  await visitor.getByLabel('Votre e-mail ou votre numéro de téléphone').fill(subscriber);
  await visitor.getByRole('button', { name: /Me prévenir/ }).click();
  await expect(visitor.getByRole('status')).toHaveText('C’est noté : nous vous préviendrons quand ce problème sera réglé.');
  expect(await rows('select email, locale from known_problem_subscriptions')).toEqual([expect.objectContaining({ email: subscriber, locale: 'fr' })]);

  // A third resident files anyway (the notice does not stop anyone).
  const third = await fileAs(browser, 3, 'Cantine : paiement en ligne');

  // The agent links the three, suggested by their procedure.
  await agent.goto(problemPage);
  const suggestions = agent.getByRole('group', { name: /demandes? semblen?t? liées?/ });
  for (const filed of [first, second]) await suggestions.getByLabel(new RegExp(filed.reference)).check();
  await agent.getByRole('button', { name: 'Rattacher', exact: true }).click();
  await expect(agent.getByRole('status')).toHaveText('2 demandes rattachées.');
  // The third from its own page, where the problem it names comes first.
  await agent.goto(`/agent/demandes/${third.digits}/`);
  const panel = agent.getByRole('region', { name: 'Problème connu' });
  await expect(panel.getByLabel('Rattacher cette demande au problème')).toHaveValue('1');
  await panel.getByRole('button', { name: 'Rattacher' }).click();
  await expect(panel.getByRole('status')).toHaveText('La demande est rattachée au problème.');
  await expect(panel.getByRole('link', { name: TITLE })).toBeVisible();
  await agent.goto(problemPage);

  // One answer, three requests.
  const answer = `Le paiement en ligne remarche depuis ce matin (${run}). Vous pouvez payer la facture de novembre.`;
  await agent.getByLabel('Réponse (obligatoire)', { exact: true }).fill(answer);
  await agent.getByRole('button', { name: 'Envoyer aux 3 demandes' }).click();
  await expect(agent.getByRole('status')).toHaveText('Réponse envoyée à 3 demandes.');
  for (const filed of [first, second, third]) {
    await filed.page.goto(filed.link);
    await expect(filed.page.locator('main')).toContainText(answer);
  }
  for (const n of [1, 2, 3]) expect(await mailsTo(resident(n), (mail) => mail.text.includes(answer))).toHaveLength(1);
  const ids = (await rows(`select id from requests where reference in (${[first, second, third].map(() => '?').join(',')})`, [first, second, third].map((f) => f.digits))).map((r) => Number(r.id));
  const replies = await rows(`select request_id from audit_log where action = 'request.reply' and request_id in (${ids.join(',')})`);
  expect(replies.map((r) => Number(r.request_id)).sort()).toEqual([...ids].sort());

  // Closing: the three resolved, the subscriber told.
  await agent.getByLabel('Message de fin (facultatif)', { exact: true }).fill('Tout est rentré dans l’ordre.');
  await agent.getByRole('button', { name: 'Clore le problème' }).click();
  await expect(agent.getByRole('status')).toHaveText('Le problème est clos. 3 demandes résolues, 1 personne prévenue par e-mail.');
  expect((await rows(`select status from requests where id in (${ids.join(',')})`)).map((r) => r.status)).toEqual(['resolved', 'resolved', 'resolved']);
  const [told] = await mailsTo(subscriber);
  expect(told?.subject).toBe(`Réglé : ${TITLE}`);
  expect(told?.text).toContain('Tout est rentré dans l’ordre.');
  expect(await rows('select id from known_problem_subscriptions')).toHaveLength(0);
  await eventually(visitor, '/', async () => await expect(visitor.getByRole('region', { name: 'Problème connu en ce moment' })).toHaveCount(0));
  await visitor.goto('/problemes-connus/');
  await expect(visitor.locator('main')).toContainText(`${TITLE} — réglé le`);
  // The reports count it.
  await agent.goto('/agent/rapports/');
  await expect(agent.locator('#problemes + p')).toContainText('1 problème déclaré, dont 1 réglé(s) ; 3 demandes rattachées.');
});

test('axe on the known problems pages, with a problem open and a refused subscription', async ({ browser }) => {
  const agent = await (await context(browser, true)).newPage();
  await signIn(agent, DEMO_AGENT, DEMO_PASSWORD);
  await agent.goto('/agent/problemes/');
  await expectAccessible(agent, 'agent list, fresh');
  await agent.getByRole('button', { name: 'Déclarer le problème' }).click();
  await expectAccessible(agent, 'agent list, refused declaration');
  await agent.getByLabel('Ce qui ne marche pas (obligatoire)').fill('Les justificatifs ne se téléversent plus');
  await agent.getByLabel('Démarche concernée').fill('Inscription à l’école');
  await agent.getByRole('button', { name: 'Déclarer le problème' }).click();
  await expect(agent.getByRole('status')).toBeVisible();
  await expectAccessible(agent, 'agent problem page');
  // A request's page offers to link it to the open problem.
  const [request] = await rows("select reference from requests where status in ('new', 'open') order by id limit 1");
  await agent.goto(`/agent/demandes/${request!.reference}/`);
  await expect(agent.getByRole('region', { name: 'Problème connu' })).toBeVisible();
  await expectAccessible(agent, 'request page with a known problem to link');
  await agent.goBack();
  const visitor = await (await context(browser, true)).newPage();
  await eventually(visitor, '/problemes-connus/', async () => await expect(visitor.locator('main')).toContainText('Les justificatifs ne se téléversent plus'));
  await expectAccessible(visitor, 'public page with a problem');
  await visitor.getByRole('button', { name: /Me prévenir/ }).first().click();
  await expect(visitor.locator('#error-summary')).toBeVisible();
  await expectAccessible(visitor, 'public page, refused subscription');
  await visitor.goto('/en/known-problems/');
  await expect(visitor.locator('main [lang="fr"]').first()).toContainText('Les justificatifs ne se téléversent plus');
  await expectAccessible(visitor, 'English page, French wording');
  await visitor.goto('/demande/');
  await visitor.getByRole('link', { name: 'Commencer' }).click();
  await visitor.getByLabel('Nom de la démarche ou du service').fill('inscription école');
  await visitor.getByLabel('Le paiement ne fonctionne pas').check();
  await visitor.getByRole('button', { name: 'Continuer' }).click();
  await expect(visitor.getByRole('region', { name: /problème connu/ })).toBeVisible();
  await expectAccessible(visitor, 'request form with a known problem');
  // A resident without email leaves a phone number; once it is closed, the agent calls and the number goes.
  await visitor.getByLabel('Votre e-mail ou votre numéro de téléphone').fill('06 12 34 56 78');
  await visitor.getByRole('button', { name: /Me prévenir/ }).click();
  await expect(visitor.getByRole('status')).toHaveText('C’est noté : nous vous préviendrons quand ce problème sera réglé.');
  await expectAccessible(visitor, 'request form, subscribed');
  await agent.getByRole('button', { name: 'Clore le problème' }).click();
  await expect(agent.getByRole('heading', { name: '1 personne à rappeler' })).toBeVisible();
  await expect(agent.getByRole('link', { name: '06 12 34 56 78' })).toHaveAttribute('href', 'tel:0612345678');
  await expectAccessible(agent, 'closed problem, a person to call');
  await agent.getByRole('button', { name: /^Appelée/ }).click();
  await expect(agent.getByRole('status')).toHaveText('C’est noté : le numéro est effacé.');
  expect(await rows('select id from known_problem_subscriptions')).toHaveLength(0);
  await agent.goto('/agent/problemes/');
  await expectAccessible(agent, 'list with a closed problem');
});
