// The support team writes and publishes help content from the workspace, with and without
// JavaScript: an agent drafts an FAQ entry with an image, a colleague's concurrent save gets
// the conflict page, an administrator publishes; the page is served to residents by both
// servers on the database and search finds it; withdrawn, it answers 410 and leaves the
// search; a restored revision reads as before. axe on every editor page and state.
import { createClient } from '@libsql/client';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import sharp from 'sharp';
import { DEMO_ADMIN, DEMO_AGENT, DEMO_PASSWORD, signIn } from './agent-helpers';
import { expectAccessible } from './request-helpers';
import { type ServerProcess, startTwoServers } from './server-process';

const dbFile = `${process.env.GUICHET_E2E_DB}.help-editor.db`;
let first: ServerProcess;
let second: ServerProcess;
let stop: () => Promise<void>;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  ({ first, second, stop } = await startTwoServers(dbFile));
});

test.afterAll(async () => stop?.());

async function dbRows(sql: string, args: (string | number)[] = []) {
  const client = createClient({ url: `file:${dbFile}`, timeout: 5000 });
  try {
    return (await client.execute({ sql, args })).rows;
  } finally {
    client.close();
  }
}

/** A real photo-like PNG carrying metadata (a comment with a place): the stored image must not keep it. */
const photo = async () => ({
  name: 'composteur.png',
  mimeType: 'image/png',
  buffer: await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a7a3b' } })
    .png()
    .withMetadata({ exif: { IFD0: { ImageDescription: 'GPS 47.123 secret-place' } } })
    .toBuffer(),
});

async function agentIn(browser: Browser, javaScriptEnabled: boolean, email: string, origin = first.origin): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: origin, javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, email, DEMO_PASSWORD);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');
  return { context, page };
}

const axe = async (page: Page, javaScriptEnabled: boolean, label: string) => {
  await expect(page.locator('h1'), label).toHaveCount(1);
  // axe runs in the page: with JavaScript off, the same markup was checked in the other pass.
  if (javaScriptEnabled) await expectAccessible(page, label);
};

/** Fetches `path` from `origin` until `check` holds; returns how long it took (ms). */
async function until(origin: string, path: string, check: (status: number, text: string) => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await expect
    .poll(
      async () => {
        const response = await fetch(`${origin}${path}`);
        return check(response.status, await response.text());
      },
      { timeout: timeoutMs, intervals: [100] },
    )
    .toBe(true);
  return Date.now() - started;
}

for (const javaScriptEnabled of [true, false]) {
  test(`${javaScriptEnabled ? 'with' : 'without'} JavaScript: draft with an image, conflict, review, publish, search, withdraw, restore`, async ({ browser }) => {
    test.setTimeout(240_000);
    const slug = `composteur-collectif-${javaScriptEnabled ? 'js' : 'sans-js'}`;
    const words = javaScriptEnabled ? 'lombricomposteur' : 'bioseau';
    const agent = await agentIn(browser, javaScriptEnabled, DEMO_AGENT);
    const { page } = agent;

    // The list, then a new entry refused with its problems named, what was typed kept.
    await page.getByRole('link', { name: 'Aide en ligne' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Contenu de l’aide en ligne');
    await axe(page, javaScriptEnabled, 'help list');
    await page.getByRole('link', { name: 'Écrire une nouvelle question (français)' }).click();
    await axe(page, javaScriptEnabled, 'new entry');
    await page.getByLabel('Adresse de la page').fill(slug);
    await page.getByLabel('Question').fill('Court');
    await page.getByLabel('Réponse').fill(`Demandez un ${words} au service des déchets de la mairie.`);
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await expect(page.locator('#error-summary')).toContainText('Trop court');
    await expect(page.locator('#error-summary')).toContainText('Choisissez un thème de la liste');
    await expect(page.locator('#f-question-error')).toContainText('Trop court');
    await expect(page.getByLabel('Réponse')).toHaveValue(`Demandez un ${words} au service des déchets de la mairie.`);
    await axe(page, javaScriptEnabled, 'new entry with errors');
    expect(await dbRows('select count(*) as n from help_entries where slug = ?', [slug])).toEqual([expect.objectContaining({ n: 0 })]);

    // The image: its text alternative is required; then it is added to the answer.
    await page.getByLabel('Question').fill(`Comment avoir un ${words} pour mon immeuble ?`);
    await page.getByLabel('Thème').selectOption({ index: 1 });
    await page.getByLabel('Image', { exact: true }).setInputFiles(await photo());
    await page.getByRole('button', { name: 'Ajouter l’image' }).click();
    await expect(page.locator('#f-alt-error')).toContainText('Décrivez ce que montre l’image');
    await axe(page, javaScriptEnabled, 'image without alt');
    await page.getByLabel('Image', { exact: true }).setInputFiles(await photo());
    await page.getByLabel('Texte alternatif').fill('Un bac à compost vert');
    await page.getByRole('button', { name: 'Ajouter l’image' }).click();
    await expect(page.getByLabel('Réponse')).toHaveValue(/!\[Un bac à compost vert\]\(\/medias\/[0-9a-f]{64}\.webp\)/);
    await expect(page.locator('.a-preview img[alt="Un bac à compost vert"]')).toBeVisible();
    await axe(page, javaScriptEnabled, 'image added');
    const src = /\/medias\/[0-9a-f]{64}\.webp/.exec(await page.getByLabel('Réponse').inputValue())![0];
    const image = await fetch(`${first.origin}${src}`);
    expect(image.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await image.arrayBuffer()).toString('latin1')).not.toContain('secret-place');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await expect(page.getByRole('status')).toContainText('Brouillon enregistré');
    await axe(page, javaScriptEnabled, 'draft saved');
    const editor = new URL(page.url()).pathname;

    // A colleague opens the same entry; both change it; the second save gets the conflict page.
    const admin = await agentIn(browser, javaScriptEnabled, DEMO_ADMIN);
    await admin.page.goto(editor);
    await page.reload();
    await admin.page.getByLabel('Réponse').fill(`${await admin.page.getByLabel('Réponse').inputValue()}\n\nLe bac est gratuit.`);
    await admin.page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await expect(admin.page.getByRole('status')).toContainText('Brouillon enregistré');
    const mine = `${await page.getByLabel('Réponse').inputValue()}\n\nIl est livré en deux semaines.`;
    await page.getByLabel('Réponse').fill(mine);
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await expect(page.getByRole('heading', { name: 'Quelqu’un a enregistré ce contenu entre-temps' })).toBeVisible();
    await expect(page.locator('.a-conflict pre')).toContainText('Le bac est gratuit.');
    await expect(page.getByLabel('Réponse')).toHaveValue(mine);
    await axe(page, javaScriptEnabled, 'conflict');
    // Both sentences, saved on top of the colleague's version, then sent for review.
    await page.getByLabel('Réponse').fill(`${mine}\n\nLe bac est gratuit.`);
    await page.getByRole('button', { name: 'Envoyer en relecture' }).click();
    await expect(page.getByRole('status')).toContainText('Envoyé en relecture');
    await expect(page.getByRole('button', { name: 'Publier' })).toHaveCount(0);

    // The administrator publishes. The publishing server serves it at once, the other within seconds.
    await admin.page.goto(editor);
    await expect(admin.page.getByText('À relire')).toBeVisible();
    await admin.page.getByRole('button', { name: 'Publier' }).click();
    await expect(admin.page.getByRole('status')).toContainText('Publié');
    await axe(admin.page, javaScriptEnabled, 'published');
    const path = `/faq/${slug}/`;
    // The publishing process serves it at once; the server's other worker reads the change
    // within 250 ms (each process checks the changes before a request, at most every 250 ms).
    await until(first.origin, path, (status) => status === 200, 10_000);
    const live = await until(second.origin, path, (status) => status === 200, 10_000);
    const resident = await browser.newContext({ javaScriptEnabled });
    const reader = await resident.newPage();
    await reader.goto(`${second.origin}${path}`);
    await expect(reader.getByRole('heading', { level: 1 })).toHaveText(`Comment avoir un ${words} pour mon immeuble ?`);
    await expect(reader.getByText('Il est livré en deux semaines.')).toBeVisible();
    await expect(reader.getByRole('img', { name: 'Un bac à compost vert' })).toBeVisible();
    // Found by search, on the other server too.
    const searchable = await until(second.origin, `/recherche/?q=${words}`, (_, text) => text.includes(`href="${path}"`), 30_000);
    console.log(`published: live on the other server after ${live} ms, found by its search after ${searchable} ms`);
    await reader.goto(`${second.origin}/recherche/`);
    await reader.locator('#recherche-page').fill(words);
    if (!javaScriptEnabled) await reader.getByRole('button', { name: 'Rechercher' }).click();
    await expect(reader.locator('#search-results').getByRole('link', { name: `Comment avoir un ${words} pour mon immeuble ?` })).toBeVisible();

    // Withdrawn: the page answers 410 on both servers and search no longer finds it.
    await admin.page.getByRole('button', { name: 'Retirer du site' }).click();
    await expect(admin.page.getByRole('status')).toContainText('Retiré du site');
    await until(first.origin, path, (status) => status === 410, 10_000);
    await until(second.origin, path, (status) => status === 410, 10_000);
    await reader.goto(`${second.origin}${path}`);
    await expect(reader.getByRole('heading', { level: 1 })).toHaveText('Cette page a été retirée');
    await until(second.origin, `/recherche/?q=${words}`, (_, text) => !text.includes(`href="${path}"`), 30_000);

    // History: the comparison, then the first published text restored and published again.
    await admin.page.getByRole('link', { name: 'Historique des versions' }).click();
    await expect(admin.page.locator('.a-diff')).toBeVisible();
    await axe(admin.page, javaScriptEnabled, 'history');
    const versions = await dbRows('select r.id from help_revisions r join help_entries e on e.id = r.entry_id where e.slug = ? order by r.id', [slug]);
    const firstDraft = Number(versions[0]!.id);
    await admin.page.getByRole('button', { name: `Repartir de la version #${firstDraft}` }).click();
    await expect(admin.page.getByRole('status')).toContainText('L’ancienne version est devenue un nouveau brouillon');
    await expect(admin.page.getByLabel('Réponse')).not.toHaveValue(/livré en deux semaines/);
    await admin.page.getByRole('button', { name: 'Publier' }).click();
    await expect(admin.page.getByRole('status')).toContainText('Publié');
    await until(second.origin, path, (status, text) => status === 200 && !text.includes('livré en deux semaines') && text.includes(`Demandez un ${words}`), 10_000);
    await admin.page.getByRole('link', { name: 'Voir la dernière version comme les habitants la verront' }).click();
    await axe(admin.page, javaScriptEnabled, 'preview page');

    // The workflow is in the audit log.
    const logged = (await dbRows("select action from audit_log where action like 'help.%' and details like ?", [`%${slug}%`])).map((r) => String(r.action));
    expect(new Set(logged)).toEqual(new Set(['help.create', 'help.save', 'help.submit', 'help.publish', 'help.withdraw', 'help.restore']));
    for (const context of [agent.context, admin.context, resident]) await context.close();
  });
}

test('markup and script typed into an entry are shown as text or dropped, and never run on any page', async ({ browser }) => {
  test.setTimeout(120_000);
  const { context, page } = await agentIn(browser, true, DEMO_ADMIN);
  const ran: string[] = [];
  page.on('dialog', (dialog) => {
    ran.push(dialog.message());
    void dialog.dismiss();
  });
  const payloads = ['<script>alert("q")</script>', '"><img src=x onerror=alert("img")>', '</textarea><svg onload=alert("svg")>', '[clic](javascript:alert("link"))', '<iframe srcdoc="<script>alert(1)</script>"></iframe>', '{{7*7}} ${alert("tpl")}'];
  await page.goto('/agent/aide/nouveau/?type=faq');
  await page.getByLabel('Adresse de la page').fill('balises-et-scripts');
  await page.getByLabel('Question').fill(`Que devient ${payloads[0]} dans une question ?`);
  await page.getByLabel('Thème').selectOption({ index: 1 });
  await page.getByLabel('Mots que les habitants tapent').fill(payloads[1]!);
  await page.getByLabel('Démarches concernées').fill(payloads[2]!);
  await page.getByLabel('Réponse').fill(payloads.join('\n\n'));
  await page.getByRole('button', { name: 'Voir l’aperçu' }).click();
  await expect(page.locator('.a-preview')).toContainText('clic');
  await page.getByRole('button', { name: 'Publier' }).click();
  await expect(page.getByRole('status')).toContainText('Publié');
  const editor = new URL(page.url()).pathname;
  for (const path of [editor, `${editor}historique/`, `${editor}apercu/`, '/faq/balises-et-scripts/', '/faq/', '/agent/aide/']) {
    await page.goto(path);
    await expect(page.locator('h1'), path).toHaveCount(1);
    expect(await page.locator('script:not([src]):not([type])').evaluateAll((scripts) => scripts.filter((s) => /alert\(/.test(s.textContent ?? '')).length), path).toBe(0);
    expect(await page.locator('[onerror], [onload], [srcdoc], a[href^="javascript:"]').count(), path).toBe(0);
  }
  await page.goto('/faq/balises-et-scripts/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('<script>alert("q")</script>');
  expect(ran).toEqual([]);
  await context.close();
});

test('a tutorial is edited step by step: a step added with its picture, moved, another removed; residents read the new order', async ({ browser }) => {
  test.setTimeout(120_000);
  const { context, page } = await agentIn(browser, true, DEMO_ADMIN);
  const [row] = await dbRows("select id from help_entries where kind = 'tutorial' and locale = 'fr' and slug = 'creer-son-compte'");
  await page.goto(`/agent/aide/${row!.id}/`);
  await expect(page.getByLabel('Titre de l’étape 1')).toHaveValue(/^Cliquer sur .+Créer mon compte.+$/);
  await axe(page, true, 'tutorial editor');
  const before = await page.getByLabel('Titre de l’étape', { exact: false }).count();

  // A new last step, filled in with a picture; the form comes back with everything typed.
  await page.getByLabel('Titre de l’étape 2').fill('Remplir le formulaire en entier');
  await page.getByRole('button', { name: 'Ajouter une étape', exact: true }).click();
  const last = before + 1;
  await expect(page.getByLabel(`Titre de l’étape ${last}`)).toHaveValue('');
  await expect(page.getByLabel('Titre de l’étape 2')).toHaveValue('Remplir le formulaire en entier');
  await page.getByLabel(`Titre de l’étape ${last}`).fill('Garder le mot de passe');
  await page.getByLabel(`Ce qu’il faut faire à l’étape ${last}`).fill('Notez le mot de passe dans un carnet rangé chez vous.');
  await page.locator(`#f-step-${last - 1}-file`).setInputFiles(await photo());
  await page.getByLabel(`Texte alternatif de l’image de l’étape ${last}`).fill('Un carnet fermé');
  // Moved up once, then the first step removed.
  await page.getByRole('button', { name: `Monter l’étape ${last}` }).click();
  await expect(page.getByLabel(`Titre de l’étape ${last - 1}`)).toHaveValue('Garder le mot de passe');
  // The picture was stored when the form came back, and moved with its step.
  await expect(page.locator(`input[name="step-${last - 2}-src"]`)).toHaveValue(/^\/medias\/[0-9a-f]{64}\.webp$/);
  await page.getByRole('button', { name: 'Retirer l’étape 1' }).click();
  await expect(page.getByLabel('Titre de l’étape 1')).toHaveValue('Remplir le formulaire en entier');
  await axe(page, true, 'tutorial editor after step changes');

  // A step without its text is refused next to that field, nothing saved; then published.
  await page.getByLabel('Ce qu’il faut faire à l’étape 1').fill('');
  await page.getByRole('button', { name: 'Publier' }).click();
  await expect(page.locator('#f-step-0-text-error')).toBeVisible();
  await axe(page, true, 'tutorial step refused');
  await page.getByLabel('Ce qu’il faut faire à l’étape 1').fill('Indiquez votre nom, votre prénom et votre adresse e-mail.');
  await page.getByRole('button', { name: 'Publier' }).click();
  await expect(page.getByRole('status')).toContainText('Publié');

  await page.goto('/tutoriels/creer-son-compte/');
  const steps = page.locator('ol.g-steps > li h3');
  await expect(steps.first()).toHaveText('Remplir le formulaire en entier');
  await expect(steps.nth(last - 3)).toHaveText('Garder le mot de passe');
  await expect(steps).toHaveCount(before);
  await expect(page.getByRole('img', { name: 'Un carnet fermé' })).toBeVisible();
  await context.close();
});

test('the loop closes in the workspace: a search that found nothing becomes a draft, a reply becomes an FAQ entry, an article opens its editor', async ({ browser }) => {
  test.setTimeout(90_000);
  // A resident's search that finds nothing is counted.
  const missed = await fetch(`${first.origin}/recherche/?q=xylophonique`);
  expect(await missed.text()).toContain('Aucun résultat');
  const { context, page } = await agentIn(browser, true, DEMO_ADMIN);
  await page.goto('/agent/rapports/recherches/');
  await page.getByRole('link', { name: 'Écrire une réponse : xylophonique' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Nouveau contenu');
  await expect(page.getByLabel('Mots que les habitants tapent')).toHaveValue('xylophonique');
  await axe(page, true, 'new entry from a search');

  // A reply on a request becomes the start of an answer (internal notes never do).
  const [reply] = await dbRows("select m.id, m.body from messages m where m.author = 'agent' and m.internal = 0 and m.body not like 'merged%' order by m.id limit 1");
  const [request] = await dbRows('select r.reference from requests r join messages m on m.request_id = r.id where m.id = ?', [Number(reply!.id)]);
  await page.goto(`/agent/demandes/${request!.reference}/`);
  await page.locator(`#m-${reply!.id}`).getByRole('link', { name: 'Faire de cette réponse une question fréquente' }).click();
  await expect(page.getByText('Cette réponse vient d’une demande.')).toBeVisible();
  await expect(page.getByLabel('Réponse')).toHaveValue(String(reply!.body));
  const [note] = await dbRows("select id from messages where author = 'agent' and internal = 1 limit 1");
  if (note) {
    await page.goto(`/agent/aide/nouveau/?type=faq&message=${note.id}`);
    await expect(page.getByLabel('Réponse')).toHaveValue('');
  }

  // From the articles report, "Modifier" opens the article's editor.
  await page.goto(`/agent/aide/?ouvrir=${encodeURIComponent('faq:fr/carte-refusee')}`);
  await expect(page.getByLabel('Question')).toHaveValue(/carte bancaire est refusée/);
  await context.close();
});
