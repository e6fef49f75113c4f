// Internal help for the authority's staff (content/ entries with `audience: staff`): served
// only to signed-in workspace accounts, never in the residents' search, lists or sitemap; a
// training path read page by page, each agent's progress kept.
import { expect, request as playwrightRequest, test } from '@playwright/test';
import { DEMO_ADMIN, DEMO_AGENT, DEMO_PASSWORD, signIn } from './agent-helpers';
import { expectAccessible, expectFieldError, query } from './request-helpers';

const BASE = `http://127.0.0.1:${process.env.E2E_PORT ?? 4322}`;
const STAFF_FAQ = 'agents-enregistrer-un-paiement-par-cheque';
const STAFF_TUTORIAL = 'agents-instruire-une-inscription-a-la-cantine';
const STAFF_PAGE = `/agent/aide-interne/faq/${STAFF_FAQ}/`;

test('staff pages answer 303 to sign-in for visitors and never appear in the public search index, lists or sitemap', async ({ browser }) => {
  const api = await playwrightRequest.newContext({ baseURL: BASE });
  for (const path of [STAFF_PAGE, `/agent/aide-interne/tutoriel/${STAFF_TUTORIAL}/`, '/agent/aide-interne/', '/agent/aide-interne/parcours/1/']) {
    const response = await api.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(303);
    expect(response.headers().location, path).toBe(`/agent/connexion/?retour=${encodeURIComponent(path)}`);
  }
  // Their residents' addresses lead there too (never the page itself, never cached).
  for (const [path, target] of [[`/faq/${STAFF_FAQ}/`, STAFF_PAGE], [`/tutoriels/${STAFF_TUTORIAL}/`, `/agent/aide-interne/tutoriel/${STAFF_TUTORIAL}/`]] as const) {
    const response = await api.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(303);
    expect(response.headers().location, path).toBe(target);
    expect(response.headers()['cache-control'], path).toBe('no-store');
  }
  const sitemap = await (await api.get('/sitemap.xml')).text();
  expect(sitemap).toContain('/faq/payer-sans-carte-bancaire/');
  expect(sitemap).not.toContain('agents-');
  for (const list of ['/faq/', '/tutoriels/', '/themes/ecole-cantine/']) expect(await (await api.get(list)).text(), list).not.toContain('agents-');
  await api.dispose();

  // The residents' search (the Pagefind index the server and the browser read): words only the staff pages hold find nothing of them.
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  for (const words of ['régie chèque', 'instruire inscription cantine', 'renvoyer le code d’activation']) {
    await page.goto(`/recherche/?q=${encodeURIComponent(words)}`);
    await expect(page.getByRole('status')).toBeVisible();
    for (const href of await page.locator('main a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))) expect(href, words).not.toContain('agents-');
  }
  // Nor the lexicon the browser's search reads.
  const lexicon = await (await page.request.get('/recherche/lexique.json')).text();
  expect(lexicon).not.toMatch(/"regie"|"régie"/);
});

test('an agent reads the internal help and a training path, page by page; the administrator sees where the team stands', async ({ browser }) => {
  const agentContext = await browser.newContext({ javaScriptEnabled: false });
  const agent = await agentContext.newPage();
  await signIn(agent, DEMO_AGENT, DEMO_PASSWORD);
  const [sophie] = await query('select id from agents where email = ?', [DEMO_AGENT]);
  await query('delete from training_progress where agent_id = ?', [sophie!.id]);
  await agent.getByRole('navigation', { name: 'Menu de l’espace agents' }).getByRole('link', { name: 'Aide interne' }).click();
  await expect(agent.getByRole('heading', { level: 1 })).toHaveText('Aide interne');
  // Searched here, apart from the residents' help.
  await agent.getByLabel('Chercher dans l’aide interne').fill('régie');
  await agent.getByRole('button', { name: 'Chercher' }).click();
  await expect(agent.getByRole('heading', { name: /1 résultat pour « régie »/ })).toBeVisible();
  await expect(agent.getByRole('link', { name: 'Comment enregistrer à l’accueil un paiement de cantine par chèque ?' }).first()).toHaveAttribute('href', STAFF_PAGE);

  const pathLink = agent.getByRole('link', { name: 'Instruire les inscriptions à la cantine' });
  await expect(pathLink.locator('xpath=..')).toContainText('0 sur 3 lues');
  await pathLink.click();
  await agent.getByRole('link', { name: 'Instruire une inscription à la cantine' }).click();
  await expect(agent.getByRole('heading', { level: 1 })).toHaveText('Instruire une inscription à la cantine');
  await expect(agent.getByRole('heading', { name: 'Parcours « Instruire les inscriptions à la cantine » : page 1 sur 3' })).toBeVisible();
  await agent.getByRole('button', { name: 'Marquer comme lue' }).click();
  await expect(agent.getByRole('status')).toHaveText('C’est noté : page lue.');
  await agent.getByRole('link', { name: /^Page suivante/ }).click();
  await expect(agent.getByRole('heading', { name: /page 2 sur 3/ })).toBeVisible();
  await agent.getByRole('button', { name: 'Marquer comme lue' }).click();
  await agent.getByRole('link', { name: /^Retour au parcours/ }).click();
  await expect(agent.locator('main')).toContainText('2 sur 3 lues');
  expect((await query('select entry_key from training_progress where agent_id = ? order by entry_key', [sophie!.id])).map((r) => r.entry_key)).toEqual([
    'faq:fr/agents-code-d-activation-espace-famille',
    'tutorial:fr/agents-instruire-une-inscription-a-la-cantine',
  ]);

  // The administrator sees each agent's progress, and writes a new path (a refusal first).
  const admin = await (await browser.newContext({ javaScriptEnabled: true })).newPage();
  await signIn(admin, DEMO_ADMIN, DEMO_PASSWORD);
  await admin.goto('/agent/aide-interne/');
  await expectAccessible(admin, 'internal help');
  await admin.getByRole('link', { name: 'Instruire les inscriptions à la cantine' }).click();
  const sophieRow = admin.getByRole('row', { name: /Sophie/ });
  await expect(sophieRow).toContainText('2 sur 3 lues');
  await expectAccessible(admin, 'training path with the team');
  await admin.goto(STAFF_PAGE);
  await expectAccessible(admin, 'internal help page');
  await admin.goBack();
  await admin.getByRole('link', { name: 'Que faire quand un parent n’a pas reçu le code d’activation de l’espace famille ?' }).click();
  await expect(admin.getByRole('heading', { name: /page 2 sur 3/ })).toBeVisible();
  await expectAccessible(admin, 'internal help page within a path');
  await admin.goto('/agent/aide-interne/parcours/nouveau/');
  await expectAccessible(admin, 'new path');
  await admin.getByRole('button', { name: 'Créer le parcours' }).click();
  await expectFieldError(admin, 'f-title', 'Écrivez le titre du parcours');
  await expectFieldError(admin, 'f-steps', 'Donnez un rang à au moins une page');
  await expectAccessible(admin, 'new path, refused');
  await admin.getByLabel('Titre du parcours').fill(`Accueil des familles ${Date.now()}`);
  await admin.getByLabel(/Que faire quand un parent n’a pas reçu le code/).fill('2');
  await admin.getByLabel(/Comment enregistrer à l’accueil un paiement/).fill('1');
  await admin.getByRole('button', { name: 'Créer le parcours' }).click();
  await expect(admin.getByRole('status')).toHaveText('Parcours enregistré.');
  await expect(admin.locator('main ol li')).toHaveText([/Comment enregistrer à l’accueil un paiement de cantine par chèque/, /Que faire quand un parent n’a pas reçu le code/]);
});
