import { expect, type Locator, type Page, test } from '@playwright/test';
import { DEMO_ADMIN, DEMO_AGENT, DEMO_PASSWORD, mailsTo, signIn } from './agent-helpers';
import { countRows, expectAccessible, expectFieldError, fileRequest, query, sendRequest } from './request-helpers';

/** A table's cells as text, header row first. */
/** A table's cells as read on screen, without the column of links to act on a row (not data: not in the CSV). */
async function tableText(table: Locator): Promise<string[][]> {
  return table.locator('tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th:not([data-actions]), td:not([data-actions])')].map((cell) => (cell.textContent ?? '').trim())));
}

/** A CSV file (French: semicolons, quotes doubled) as rows of cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i += 1) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') (cell += '"'), (i += 1);
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') row.push(cell), (cell = '');
    else if (c === '\r') continue;
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  return rows;
}

/** What a cell says once units, grouping and the French decimal comma are set aside: "1 234,5 %" → "1234.5". */
const comparable = (value: string) => {
  const number = value.replace(/[\s\u202f\u00a0]/g, '').replace(/(%|h)$/, '').replace(',', '.');
  return /^[+-]?\d+(\.\d+)?$/.test(number) ? String(Number(number)) : value === '—' ? '' : value.trim();
};

async function readReportCell(page: Page, tableId: string, rowLabel: string, column: number) {
  const row = page.locator(`table[data-table="${tableId}"] tbody tr`).filter({ has: page.getByRole('rowheader', { name: rowLabel, exact: true }) });
  return Number((await row.locator('th, td').nth(column).textContent())!.replace(/\D/g, '') || 0);
}

test.describe('satisfaction', () => {
  // Both count the same figures in the reports: one after the other.
  test.describe.configure({ mode: 'serial' });
  for (const javaScriptEnabled of [false, true]) {
    test(`a resolved request gets a satisfaction answer (${javaScriptEnabled ? 'with' : 'without'} JavaScript) that appears in the reports`, async ({ browser, page }) => {
      test.setTimeout(120_000);
      const tag = `sat${javaScriptEnabled ? 'js' : 'nojs'}${Date.now().toString(36)}`;
      const email = `resident-${tag}@example.org`;
      const resident = await browser.newContext({ javaScriptEnabled });
      const axe = async (label: string) => {
        if (javaScriptEnabled) await expectAccessible(residentPage, label);
      };
      const residentPage = await resident.newPage();
      await fileRequest(residentPage, { description: `Le paiement de la cantine échoue (${tag}).`, email, axe: false });
      const { digits, link } = await sendRequest(residentPage, false);

      await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
      await page.goto('/agent/rapports/?periode=7j');
      const before = { good: await readReportCell(page, 'satisfaction', 'Bien', 1), clarity5: await readReportCell(page, 'clarity', 'Clarté 5 sur 5', 1) };

      // Not asked before the request is resolved.
      await residentPage.goto(link);
      await expect(residentPage.getByRole('heading', { name: 'Votre avis sur notre réponse' })).toHaveCount(0);

      // The agent resolves it; the mail asks how it went, with the private link.
      await page.goto(`/agent/demandes/${digits}/`);
      await page.getByLabel('État', { exact: true }).selectOption({ label: 'Résolue' });
      await page.getByRole('button', { name: 'Enregistrer les changements', exact: true }).click();
      await expect(page.getByRole('status')).toHaveText('Modifications enregistrées.');
      const [mail] = await mailsTo(email, (m) => m.text.includes('Comment cela s’est-il passé'));
      const askLink = /https?:\/\/\S+#avis/.exec(mail!.text)![0];

      // The resident answers from the mail's link: nothing chosen is refused, then "Bien", then clarity and a comment.
      await residentPage.goto(new URL(askLink).pathname + '#avis');
      const section = residentPage.locator('#satisfaction');
      await expect(section.getByRole('group', { name: /Comment s’est passée la résolution/ })).toBeVisible();
      await axe('satisfaction, first question');
      await section.getByRole('button', { name: 'Envoyer mon avis' }).click();
      await expectFieldError(residentPage, 'f-level', 'Choisissez comment s’est passée la résolution de votre problème.');
      await axe('satisfaction, nothing chosen');
      await section.getByRole('radio', { name: 'Bien' }).check();
      await section.getByRole('button', { name: 'Envoyer mon avis' }).click();
      await expect(section.getByRole('status')).toContainText('votre réponse « Bien » est enregistrée');
      await axe('satisfaction, second step');
      await section.getByRole('radio', { name: '5 – très claire' }).check();
      await section.getByLabel(/Voulez-vous ajouter quelque chose/).fill(`Très bien expliqué (${tag}).`);
      await section.getByRole('button', { name: 'Envoyer', exact: true }).click();
      await expect(section.getByRole('status')).toHaveText('Merci pour votre avis. Il nous aide à améliorer ce service.');
      // Once only: the form is gone, and a replayed post changes nothing.
      await expect(section.getByRole('button')).toHaveCount(0);
      await axe('satisfaction, thanks');
      expect(await query('select level, clarity, comment from satisfaction s join requests r on r.id = s.request_id where r.reference = ?', [digits])).toEqual([expect.objectContaining({ level: 'good', clarity: 5, comment: `Très bien expliqué (${tag}).` })]);
      await resident.close();

      // The reports count it and show the comment.
      await page.goto('/agent/rapports/?periode=7j');
      expect(await readReportCell(page, 'satisfaction', 'Bien', 1)).toBe(before.good + 1);
      expect(await readReportCell(page, 'clarity', 'Clarté 5 sur 5', 1)).toBe(before.clarity5 + 1);
      await expect(page.getByText(`Très bien expliqué (${tag}).`)).toBeVisible();
    });
  }
});

test('a search with no result, typed (with JavaScript) or sent (without), appears in the agents’ list', async ({ browser, page }) => {
  const word = `zorglub${Date.now().toString(36)}`;
  // With JavaScript: Pagefind finds nothing; the page reports the words once the reader stops typing.
  await page.goto('/recherche/');
  const reported = page.waitForRequest((r) => r.url().includes('/api/search-miss') && r.method() === 'POST');
  await page.locator('#search-app input[name="q"]').fill(`${word} piscine`);
  expect((await reported).postData()).toBe(`${word} piscine`);
  await expect(page.locator('#search-status')).toContainText('Aucun résultat');
  // Without JavaScript: the server answers the search and counts it itself.
  const offline = await browser.newContext({ javaScriptEnabled: false });
  const offlinePage = await offline.newPage();
  await offlinePage.goto(`/en/search/?q=${encodeURIComponent(`${word} pool`)}`);
  await expect(offlinePage.locator('#search-status')).toContainText('No result');
  // A query that looks like personal data is never kept.
  await offlinePage.goto(`/recherche/?q=${encodeURIComponent(`${word}@example.org`)}`);
  await offline.close();
  await expect.poll(() => countRows('search_misses', 'query like ?', [`${word}%`])).toBe(2);
  expect(await countRows('search_misses', 'query like ?', [`%@example.org`])).toBe(0);

  const agent = await browser.newContext();
  const agentPage = await agent.newPage();
  await signIn(agentPage, DEMO_AGENT, DEMO_PASSWORD);
  await agentPage.goto('/agent/rapports/recherches/?periode=7j');
  const table = agentPage.locator('table[data-table="searches-all"]');
  await expect(table.getByRole('row', { name: new RegExp(`${word} piscine 1 0 FR`) })).toBeVisible();
  await expect(table.getByRole('row', { name: new RegExp(`${word} pool 1 0 EN`) })).toBeVisible();
  await expectAccessible(agentPage, 'searches with no result');
  await agent.close();
});

test('the search endpoint accepts only short plain text, and refuses other sites', async ({ request, baseURL }) => {
  const post = (data: string | Buffer, headers: Record<string, string> = {}) => request.post('/api/search-miss/?lang=fr', { data, headers: { 'Content-Type': 'text/plain;charset=UTF-8', Origin: baseURL!, ...headers } });
  expect((await post('horaires déchetterie')).status()).toBe(204);
  expect((await post('x'.repeat(600))).status()).toBe(413);
  expect((await post('x'.repeat(150))).status()).toBe(400);
  expect((await post('   ')).status()).toBe(400);
  expect((await post(Buffer.from([0x63, 0xff, 0xfe]))).status()).toBe(400);
  expect((await post('{"q":"x"}', { 'Content-Type': 'application/json' })).status()).toBe(415);
  expect((await post('carte grise', { Origin: 'https://evil.example' })).status()).toBe(403);
  expect((await request.get('/api/search-miss/')).status()).toBe(405);
});

test('an administrator publishes a survey; two people answer it anonymously; the results are shown and exported', async ({ browser, page }) => {
  test.setTimeout(120_000);
  const title = `Fiche d’évaluation ${Date.now().toString(36)}`;
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  await page.goto('/agent/enquetes/');
  await expectAccessible(page, 'surveys list');
  // Without a title: refused, with the message next to the field.
  await page.getByRole('button', { name: 'Créer l’enquête' }).click();
  await expectFieldError(page, 'f-title', 'Écrivez le titre de l’enquête.');
  await expectAccessible(page, 'surveys list, error');
  await page.getByLabel(/^Titre/).fill(title);
  await page.getByRole('radio', { name: 'Agents de la collectivité' }).check();
  await page.getByRole('radio', { name: 'Fiche d’évaluation pour les agents' }).check();
  await page.getByRole('button', { name: 'Créer l’enquête' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('heading', { name: 'Questions (5)' })).toBeVisible();
  await expectAccessible(page, 'survey draft');
  // A choice question needs choices.
  await page.getByLabel(/^Question/).fill('Quel service ?');
  await page.getByLabel('Type de réponse').selectOption({ label: 'Choix dans une liste' });
  await page.getByRole('button', { name: 'Ajouter la question' }).click();
  await expectFieldError(page, 'f-choices', 'Écrivez de 2 à 8 choix, un par ligne.');
  await expectAccessible(page, 'survey draft, question error');
  await page.getByLabel(/^Choix proposés/).fill('Accueil\nEnfance\nFinances');
  await page.getByRole('button', { name: 'Ajouter la question' }).click();
  await expect(page.getByRole('heading', { name: 'Questions (6)' })).toBeVisible();
  await page.getByRole('button', { name: 'Publier l’enquête' }).click();
  await expect(page.getByRole('status')).toHaveText('L’enquête est publiée. Partagez son lien.');
  const link = (await page.locator('#lien-public').textContent())!.trim();
  expect(link).toMatch(/\/enquete\/[A-Za-z0-9_-]{12}\/$/);

  // Two people answer, in two browsers, one without JavaScript.
  const answers = [
    { js: true, scale: '4 ', yesNo: 'Oui', choice: 'Entre 10 et 50', service: 'Enfance', text: 'Le paiement de la cantine.' },
    { js: false, scale: '2', yesNo: 'Non', choice: 'Plus de 50', service: 'Enfance', text: '' },
  ];
  for (const [i, a] of answers.entries()) {
    const context = await browser.newContext({ javaScriptEnabled: a.js });
    const person = await context.newPage();
    await person.goto(new URL(link).pathname);
    await expect(person.getByRole('heading', { level: 1 })).toHaveText(title);
    await expect(person.getByText(/Vos réponses sont anonymes/)).toBeVisible();
    if (i === 0) {
      // Required questions left out: refused, everything typed kept.
      await person.getByLabel(/^4\. Qu’est-ce qui bloque encore/).fill(a.text);
      await person.getByRole('button', { name: 'Envoyer mes réponses' }).click();
      await expect(person.locator('#error-summary')).toContainText('Répondez à cette question.');
      await expect(person.getByLabel(/^4\. Qu’est-ce qui bloque encore/)).toHaveValue(a.text);
      await expectAccessible(person, 'survey, error');
    }
    await person.getByRole('group', { name: /^1\./ }).getByRole('radio', { name: new RegExp(`^${a.scale.trim()}`) }).check();
    await person.getByRole('group', { name: /^2\./ }).getByRole('radio', { name: a.yesNo }).check();
    await person.getByRole('group', { name: /^3\./ }).getByRole('radio', { name: a.choice }).check();
    await person.getByRole('group', { name: /^6\./ }).getByRole('radio', { name: a.service }).check();
    await person.getByRole('button', { name: 'Envoyer mes réponses' }).click();
    await expect(person.getByRole('status')).toHaveText('Merci, vos réponses sont enregistrées.');
    if (a.js) await expectAccessible(person, 'survey, thanks');
    await context.close();
  }

  // The results: two responses, counted per question, and the CSV holds both.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Résultats (2 réponses)' })).toBeVisible();
  const scale = await tableText(page.locator('table[data-question]').first());
  expect(scale.slice(1).map((r) => r.slice(0, 2))).toEqual([['1', '0'], ['2', '1'], ['3', '0'], ['4', '1'], ['5', '0']]);
  await expect(page.getByText('moyenne 3 sur 5')).toBeVisible();
  await expect(page.getByText('Le paiement de la cantine.')).toBeVisible();
  await expectAccessible(page, 'survey results, with charts');
  const csv = parseCsv(await (await page.request.get(new URL('reponses.csv', page.url()).href)).text());
  expect(csv).toHaveLength(3);
  expect(csv[1]!.slice(1)).toEqual(['4', 'Oui', 'Entre 10 et 50', 'Le paiement de la cantine.', '', 'Enfance']);
  expect(csv[2]!.slice(1)).toEqual(['2', 'Non', 'Plus de 50', '', '', 'Enfance']);
  // Nothing that identifies who answered is stored: the day only.
  expect(Object.keys((await query('select * from survey_responses limit 1'))[0]!).sort()).toEqual(['day', 'id', 'survey_id']);

  // Closed: the link says so (410) and takes no more answers.
  await page.getByRole('button', { name: 'Fermer l’enquête' }).click();
  await expect(page.getByRole('status')).toHaveText('L’enquête est fermée : elle ne reçoit plus de réponses.');
  const closed = await page.request.get(new URL(link).pathname);
  expect(closed.status()).toBe(410);
});

test('every table of the reports downloads as a CSV file holding what the page shows', async ({ page }) => {
  await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
  await page.goto('/agent/rapports/?periode=90j');
  const tables = page.locator('table[data-table]');
  const count = await tables.count();
  expect(count).toBeGreaterThanOrEqual(13);
  for (let i = 0; i < count; i += 1) {
    const table = tables.nth(i);
    const id = (await table.getAttribute('data-table'))!;
    const onScreen = await tableText(table);
    const href = (await page.locator(`#tableau-${id} a[download]`).getAttribute('href'))!;
    const response = await page.request.get(href);
    expect(response.headers()['content-type'], id).toBe('text/csv; charset=utf-8');
    const csv = parseCsv(await response.text());
    expect(csv.map((row) => row.map(comparable)), id).toEqual(onScreen.map((row) => row.map(comparable)));
  }
  // A signed-out visitor gets no file.
  const anonymous = await page.context().browser()!.newContext();
  const response = await anonymous.request.get(`${new URL(page.url()).origin}/agent/rapports/categories.csv`, { maxRedirects: 0 });
  expect(response.status()).toBe(303);
  await anonymous.close();
});

test('every report page passes axe, charts included, and a bad period is explained next to its field', async ({ page }) => {
  // Five pages through axe: the budget of a slow machine, not a measure.
  test.setTimeout(180_000);
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  for (const path of ['/agent/rapports/', '/agent/rapports/?periode=12m', '/agent/rapports/synthese/', '/agent/rapports/articles/', '/agent/rapports/recherches/']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page, path);
  }
  // The summary for elected officials prints on one A4 page.
  await page.goto('/agent/rapports/synthese/?periode=90j');
  const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
  expect(pdf.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
  // Charts are images with a name and a description; their data follows in a table.
  await page.goto('/agent/rapports/');
  const charts = page.getByRole('img');
  expect(await charts.count()).toBeGreaterThanOrEqual(7);
  await expect(page.getByRole('img', { name: /Demandes par type de problème/ })).toBeVisible();
  // The articles page lists readers' comments, per article.
  await page.goto('/agent/rapports/articles/?periode=90j');
  await expect(page.getByText('Il manque le cas des cartes à autorisation systématique.')).toBeVisible();
  await page.getByRole('link', { name: 'Seulement les commentaires de cet article' }).first().click();
  await expect(page.getByRole('heading', { name: /^Commentaires sur « / })).toBeVisible();
  await expectAccessible(page, 'comments of one article');
  // A bad period: 400, messages next to the dates and in the summary, the default period shown.
  const response = await page.goto('/agent/rapports/?periode=perso&du=2026-02-30&au=2026-01-01');
  expect(response!.status()).toBe(400);
  await expectFieldError(page, 'du', 'Cette date n’existe pas. Écrivez-la ainsi : 2026-11-01.');
  await expectAccessible(page, 'reports, bad period');
  // Objectives set by the administrator appear against what was achieved.
  await page.goto('/agent/admin/reglages/');
  await page.getByLabel(/Premières réponses dans le délai/).fill('150');
  await page.getByRole('button', { name: 'Enregistrer les objectifs' }).click();
  await expectFieldError(page, 'f-objective-firstResponseOnTime', 'Écrivez un pourcentage entre 1 et 100, ou laissez vide pour ne pas fixer d’objectif.');
  await expectAccessible(page, 'settings, objectives error');
  await page.getByLabel(/Premières réponses dans le délai/).fill('75');
  await page.getByRole('button', { name: 'Enregistrer les objectifs' }).click();
  await page.goto('/agent/rapports/');
  await expect(page.locator('table[data-table="objectives"]').getByRole('row', { name: /Premières réponses dans le délai \(%\) 75/ })).toBeVisible();
  await page.goto('/agent/admin/reglages/');
  await page.getByLabel(/Premières réponses dans le délai/).fill('90');
  await page.getByRole('button', { name: 'Enregistrer les objectifs' }).click();
});
