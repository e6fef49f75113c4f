// A live chat as its two people live it, each in their own browser, on the built server: the
// resident (with JavaScript, then without) and an agent. The chat is offered only inside the
// opening hours and with an agent present; messages go both ways; the resident's screen reader
// (the virtual screen reader of @guidepup, run in the page) hears each agent message once and
// never their own; a resident who leaves gets the answer in writing at their private link; axe
// finds nothing in any of the chat's states.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { DEMO_AGENT, DEMO_PASSWORD } from './agent-helpers';
import { axeViolations } from './helpers';
import { pngFile } from './request-helpers';
import { chatWriter } from './chat-writer-client';
import { removeDatabase, type ServerProcess, startServerProcess } from './server-process';

test.describe.configure({ mode: 'serial' });

// The virtual screen reader's browser build, started in the page; what it says is read back.
const screenReaderBundle = readFileSync(createRequire(import.meta.url).resolve('@guidepup/virtual-screen-reader/browser.js'), 'utf8').replace(
  /export\s*\{[^}]*?\b([\w$]+) as virtual\b[^}]*\}\s*;?/,
  'window.__screenReader = $1;',
);

async function startScreenReader(page: Page) {
  await page.addScriptTag({ type: 'module', content: screenReaderBundle });
  await page.waitForFunction(() => Boolean((window as unknown as { __screenReader?: unknown }).__screenReader));
  await page.evaluate(() => (window as unknown as { __screenReader: { start: (o: { container: Element }) => Promise<void> } }).__screenReader.start({ container: document.body }));
}

const spoken = (page: Page) => page.evaluate(() => (window as unknown as { __screenReader: { spokenPhraseLog: () => Promise<string[]> } }).__screenReader.spokenPhraseLog());

let server: ServerProcess;
let db: ReturnType<typeof chatWriter>;
const dbFile = `${process.env.GUICHET_E2E_DB}.chat.db`;

test.beforeAll(async () => {
  removeDatabase(dbFile);
  server = await startServerProcess(dbFile, { GUICHET_DEMO: '1' });
  // The first page on demand migrates the database and adds the demo accounts.
  expect((await fetch(`${server.origin}/agent/connexion/`)).status).toBe(200);
  db = chatWriter(dbFile);
});

test.afterAll(async () => {
  db?.close();
  server?.signal('SIGTERM');
  await server?.exited;
  removeDatabase(dbFile);
});

async function agentPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.origin });
  const page = await context.newPage();
  await page.goto('/agent/connexion/');
  await page.getByLabel('Adresse e-mail').fill(DEMO_AGENT);
  await page.getByLabel('Mot de passe', { exact: false }).first().fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/agent\/$/);
  return page;
}

async function setPresence(agent: Page, available: boolean) {
  await agent.goto('/agent/discussions/');
  await agent.getByLabel(available ? 'Oui, je réponds aux discussions' : 'Non, pas maintenant').check();
  await agent.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(agent.locator('.g-success')).toContainText(available ? 'Vous êtes disponible' : 'plus disponible');
}

async function startChat(resident: Page, name: string, message: string) {
  await resident.goto('/discuter/');
  await expect(resident.locator('#etat')).toContainText('Une personne peut vous répondre maintenant.');
  await resident.getByLabel('Votre prénom ou votre nom').fill(name);
  await resident.getByLabel('Quelle démarche voulez-vous faire ?').fill('Payer la cantine');
  await resident.getByLabel('Votre question').fill(message);
  await resident.getByRole('button', { name: 'Commencer la discussion' }).click();
  await expect(resident).toHaveURL(/\/suivi\/[a-z0-9]+\/discussion\/#f-message$/);
  await expect(resident.locator('[data-chat-status]')).toContainText('n° 1 dans la file');
}

async function agentReply(agent: Page, text: string) {
  await agent.getByLabel('Message', { exact: true }).fill(text);
  await agent.locator('#repondre button[data-send]').click();
  await expect(agent.locator('[data-agent-chat-log]')).toContainText(text);
}

test('offered only in hours with an agent present; messages both ways; the screen reader hears each agent message once; the answer in writing after the resident left', async ({ browser }) => {
  test.setTimeout(120_000);
  const residentContext = await browser.newContext({ baseURL: server.origin, bypassCSP: true });
  const resident = await residentContext.newPage();
  const agent = await agentPage(browser);

  // Closed: when it opens again, and the same form sends the question in writing.
  await db.hours(false);
  await resident.goto('/discuter/');
  await expect(resident.locator('#etat')).toContainText('La discussion en direct est fermée en ce moment.');
  await expect(resident.locator('#etat')).toContainText(/De retour le \S+ \d+(er)? \S+ à 9 h\./);
  await expect(resident.getByRole('button', { name: 'Envoyer ma question par écrit' })).toBeVisible();
  await expect(resident.getByRole('button', { name: 'Commencer la discussion' })).toHaveCount(0);
  expect(await axeViolations(resident)).toEqual([]);

  // Open, nobody present: no chat either.
  await db.hours(true);
  await resident.reload();
  await expect(resident.locator('#etat')).toContainText('Personne n’est disponible pour discuter en ce moment.');
  await expect(resident.getByRole('button', { name: 'Commencer la discussion' })).toHaveCount(0);

  // An agent switches on: offered.
  await setPresence(agent, true);
  await resident.reload();
  expect(await axeViolations(resident)).toEqual([]);
  await startChat(resident, 'Awa', 'Je n’arrive pas à payer la cantine.');
  expect(await axeViolations(resident)).toEqual([]);
  await startScreenReader(resident);

  // The agent sees the resident waiting (the badge comes with the stream) and takes the chat.
  await agent.goto('/agent/discussions/');
  await expect(agent.locator('[data-chat-badge]').first()).toHaveText('1 en attente');
  // The tab says it too (the workspace's stream), on every page.
  await expect(agent).toHaveTitle(/^\(1\) Discussions en direct/);
  expect(await axeViolations(agent)).toEqual([]);
  await agent.getByRole('button', { name: 'Prendre la discussion avec Awa' }).click();
  await expect(agent.locator('[data-agent-chat-status]')).toContainText('Vous répondez.');
  expect(await axeViolations(agent)).toEqual([]);
  await expect(resident.locator('[data-chat-status]')).toHaveText('Sophie, du service d’aide, vous répond.');
  expect(await axeViolations(resident)).toEqual([]);

  await agentReply(agent, 'Bonjour Awa, quel message voyez-vous ?');
  await expect(resident.getByRole('log')).toContainText('Bonjour Awa, quel message voyez-vous ?');

  // The resident answers: the box is emptied and keeps the focus; the agent sees it without reloading.
  await resident.getByLabel('Votre message').fill('Il est écrit « paiement refusé ».');
  await resident.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(resident.getByLabel('Votre message')).toHaveValue('');
  await expect(resident.getByLabel('Votre message')).toBeFocused();
  await expect(resident.getByRole('log')).toContainText('Il est écrit « paiement refusé ».');
  await expect(agent.locator('[data-agent-chat-log]')).toContainText('Il est écrit « paiement refusé ».');

  await agentReply(agent, 'Essayez avec une autre carte, je reste là.');
  await expect(resident.getByRole('log')).toContainText('Essayez avec une autre carte, je reste là.');
  // What the screen reader said: each agent message once, with who wrote it; the resident's own never.
  await expect.poll(async () => (await spoken(resident)).filter((p) => p.includes('Essayez avec une autre carte')).length).toBe(1);
  const heard = await spoken(resident);
  expect(heard.filter((p) => p.includes('Bonjour Awa, quel message voyez-vous ?'))).toEqual([expect.stringMatching(/^polite: Sophie, service d’aide, \d{1,2} h( \d\d)? : Bonjour Awa/)]);
  expect(heard.filter((p) => p.includes('paiement refusé'))).toEqual([]);
  // A file sent by the agent comes with its message, as a link to it under the private link.
  await agent.getByLabel('Message', { exact: true }).fill('Voici où cliquer.');
  await agent.locator('#repondre input[type="file"]').setInputFiles(pngFile('ecran-paiement.png'));
  await agent.locator('#repondre button[data-send]').click();
  await expect(resident.getByRole('log').getByRole('link', { name: 'ecran-paiement.png' })).toHaveAttribute('href', /\/suivi\/[a-z0-9]+\/piece\/\d+\/$/);

  // The resident closes the tab; the agent ends the chat and answers in writing.
  const chatUrl = resident.url().replace(/#.*$/, '');
  await resident.close();
  await agent.getByRole('button', { name: 'Terminer (la suite par écrit)' }).click();
  await expect(agent.getByRole('status').first()).toBeVisible();
  await expect(agent.locator('[data-agent-chat-status]')).toContainText('La discussion en direct est terminée');
  await agentReply(agent, 'Votre paiement est passé : la cantine est réglée.');

  const later = await residentContext.newPage();
  await later.goto(chatUrl.replace(/discussion\/$/, ''));
  await expect(later.getByRole('heading', { name: /Demande n°/ })).toBeVisible();
  await expect(later.locator('.g-messages')).toContainText('Votre paiement est passé : la cantine est réglée.');
  // The chat's page says it goes on in writing.
  await later.goto(chatUrl);
  await expect(later.locator('[data-chat-status]')).toContainText('La discussion en direct est terminée.');
  await expect(later.getByRole('log').getByRole('link', { name: 'ecran-paiement.png' })).toBeVisible();
  expect(await axeViolations(later)).toEqual([]);
  // How did it go? Asked at the private link once a chat an agent took is over.
  await later.getByRole('link', { name: 'Donnez votre avis sur cette discussion' }).click();
  await expect(later.getByRole('heading', { name: 'Votre avis sur notre réponse' })).toBeVisible();
  await residentContext.close();
  await agent.context().close();
});

test('without JavaScript: post and reload, see new messages, and leave for a written answer keeping what was typed', async ({ browser }) => {
  test.setTimeout(90_000);
  const agent = await agentPage(browser);
  await setPresence(agent, true);
  const residentContext = await browser.newContext({ baseURL: server.origin, javaScriptEnabled: false });
  const resident = await residentContext.newPage();
  await startChat(resident, 'Marc', 'Je ne trouve pas le bouton pour inscrire mon fils.');
  await expect(resident.getByRole('button', { name: 'Voir les nouveaux messages' })).toBeVisible();

  await resident.getByLabel('Votre message').fill('C’est pour la rentrée de septembre.');
  await resident.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(resident.getByRole('log')).toContainText('C’est pour la rentrée de septembre.');
  await expect(resident.getByLabel('Votre message')).toBeFocused();

  // The board was open before Marc came: it says the list changed, and how to see it.
  await expect(agent.locator('[data-board-changed]')).toContainText('Des personnes sont arrivées ou ont été prises');
  await agent.locator('[data-board-changed]').getByRole('link', { name: 'Actualiser la liste' }).click();
  await agent.getByRole('button', { name: 'Prendre la discussion avec Marc' }).click();
  await agentReply(agent, 'Bonjour Marc, allez dans « Mes démarches ».');
  await expect(resident.getByRole('log')).not.toContainText('Mes démarches');
  await resident.getByRole('button', { name: 'Voir les nouveaux messages' }).click();
  await expect(resident.getByRole('log')).toContainText('Bonjour Marc, allez dans « Mes démarches ».');

  // Leaving: what is in the box is kept as the resident's message, and the request goes on in writing.
  await resident.getByLabel('Votre message').fill('Je dois partir, répondez-moi par écrit.');
  await resident.getByRole('button', { name: 'Arrêter et recevoir la réponse par écrit' }).click();
  await expect(resident.getByRole('status')).toContainText('Votre question est envoyée par écrit.');
  await expect(resident.locator('.g-messages')).toContainText('Je dois partir, répondez-moi par écrit.');
  await agent.reload();
  await expect(agent.locator('[data-agent-chat-status]')).toContainText('La discussion en direct est terminée');

  // A long wait (past the setting, 5 minutes): the offer of a call back, keeping what was typed.
  await startChat(resident, 'Léa', 'Mon paiement ne passe pas.');
  await expect(resident.getByRole('heading', { name: 'L’attente est longue' })).toBeHidden();
  await db.age(/\/suivi\/([a-z0-9]+)\//.exec(resident.url())![1]!, 6);
  await resident.getByRole('button', { name: 'Voir les nouveaux messages' }).click();
  await expect(resident.getByRole('heading', { name: 'L’attente est longue' })).toBeVisible();
  // axe runs in the page: the same page in a browser with JavaScript.
  const axeContext = await browser.newContext({ baseURL: server.origin });
  const axePage = await axeContext.newPage();
  await axePage.goto(resident.url());
  await expect(axePage.getByRole('heading', { name: 'L’attente est longue' })).toBeVisible();
  expect(await axeViolations(axePage)).toEqual([]);
  await axeContext.close();
  await resident.getByLabel('Votre message').fill('Rappelez-moi après 14 h.');
  await resident.getByRole('button', { name: 'Être rappelé' }).click();
  await expect(resident.locator('#error-summary')).toContainText('Indiquez');
  await expect(resident.getByLabel('Votre message')).toHaveValue('Rappelez-moi après 14 h.');
  await resident.getByLabel('Votre numéro de téléphone, pour être rappelé').fill('06 12 34 56 78');
  await resident.getByRole('button', { name: 'Être rappelé' }).click();
  await expect(resident.getByRole('status')).toContainText('nous vous rappellerons');
  await expect(resident.locator('.g-messages')).toContainText('Rappelez-moi après 14 h.');
  await residentContext.close();
  await setPresence(agent, false);
  await agent.context().close();
});
