// Triage as an agent answering fifty requests a day: several requests changed at once from the
// queue (check boxes and one submit, with or without JavaScript), "send and open the next",
// the requester's other requests merged in one click, and the writing tools inserting at the
// cursor without a reload.
import { expect, type Page, test } from '@playwright/test';
import { DEMO_AGENT, DEMO_PASSWORD, mailsTo, signIn } from './agent-helpers';
import { expectAccessible, fileRequest, query, sendRequest } from './request-helpers';

const tagOf = (label: string) => `${label}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Files `count` requests whose description holds `tag` (found by the queue's search), oldest first. */
async function fileSome(page: Page, count: number, tag: string, email: (i: number) => string) {
  const filed: { reference: string; digits: string; email: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    await fileRequest(page, { description: `Le paiement de la cantine échoue (${tag}), essai ${i + 1}.`, email: email(i), axe: false });
    filed.push({ ...(await sendRequest(page, false)), email: email(i) });
  }
  return filed;
}

const ids = async (digits: string[]) => (await query(`select id from requests where reference in (${digits.map(() => '?').join(', ')}) order by id`, digits)).map((row) => Number(row.id));

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('five requests closed at once: five audit entries, five status mails; nothing ticked is refused', async ({ page }) => {
    test.setTimeout(120_000);
    const tag = tagOf('lotfermer');
    const filed = await fileSome(page, 5, tag, (i) => `lot-${tag}-${i}@example.org`);
    await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
    await page.goto(`/agent/?q=${tag}`);
    const bar = page.locator('#lot-barre');
    await expect(page.locator('.a-queue tbody tr')).toHaveCount(5);

    // Nothing ticked: refused, in the summary and next to the boxes.
    await bar.getByRole('button', { name: 'Fermer' }).click();
    await expect(page.locator('#error-summary')).toContainText('Cochez au moins une demande');
    await expect(page.locator('#lot-choix-error')).toContainText('Cochez au moins une demande');
    await expect(page.locator('.a-queue tbody tr')).toHaveCount(5);

    for (const { reference } of filed) await page.getByRole('checkbox', { name: `Cocher la demande ${reference}` }).check();
    await bar.getByRole('button', { name: 'Fermer' }).click();
    await expect(page.getByRole('status')).toHaveText('5 demandes modifiées.');
    // Back on the same queue.
    await expect(page).toHaveURL(new RegExp(`q=${tag}`));

    const requestIds = await ids(filed.map((f) => f.digits));
    const rows = await query(`select status from requests where id in (${requestIds.join(', ')})`);
    expect(rows.map((row) => row.status)).toEqual(['closed', 'closed', 'closed', 'closed', 'closed']);
    const audit = await query(`select request_id, details from audit_log where action = 'request.status' and request_id in (${requestIds.join(', ')}) order by request_id`);
    expect(audit.map((row) => Number(row.request_id))).toEqual(requestIds);
    for (const row of audit) expect(JSON.parse(String(row.details))).toMatchObject({ to: 'closed' });
    for (const { email, reference } of filed) {
      const mails = await mailsTo(email, (mail) => mail.subject.includes('a changé d’état'));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toMatch(new RegExp(`Votre demande n°\\s${reference} est fermée\\.`));
    }
  });
});

test('with JavaScript: a box ticks the page, the bar shows what is ticked; assign and priority at once, then merge into the oldest', async ({ page }) => {
  test.setTimeout(120_000);
  const tag = tagOf('lotjs');
  const filed = await fileSome(page, 3, tag, (i) => `lotjs-${tag}-${i}@example.org`);
  await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
  await page.goto(`/agent/?q=${tag}`);
  const bar = page.locator('#lot-barre');
  await expect(bar).toBeHidden();
  // A refusal (nothing ticked, as a form without JavaScript sends it) keeps the bar shown, with its message.
  await bar.evaluate((element: HTMLElement) => (element.hidden = false));
  await bar.getByRole('button', { name: 'Appliquer' }).click();
  await expect(page.locator('#error-summary')).toContainText('Cochez au moins une demande');
  await expect(bar).toBeVisible();
  await expectAccessible(page, 'queue with a refused bulk change');
  await page.getByRole('checkbox', { name: 'Cocher toutes les demandes de la page' }).check();
  await expect(bar).toBeVisible();
  await expect(bar.locator('legend')).toHaveText('Demandes cochées (3 cochées)');
  await expectAccessible(page, 'queue with requests ticked');
  await bar.getByLabel('Attribuée à').selectOption({ label: 'Moi (Sophie (accueil))' });
  await bar.getByLabel('Priorité').selectOption({ label: 'Haute' });
  await bar.getByRole('button', { name: 'Appliquer' }).click();
  await expect(page.getByRole('status')).toHaveText('3 demandes modifiées.');
  await expectAccessible(page, 'queue after a bulk change');
  const requestIds = await ids(filed.map((f) => f.digits));
  const rows = await query(`select priority, (select email from agents where id = assignee_id) as assignee from requests where id in (${requestIds.join(', ')})`);
  expect(rows).toEqual(requestIds.map(() => ({ priority: 'high', assignee: DEMO_AGENT })));
  const audit = await query(`select action, count(*) as n from audit_log where request_id in (${requestIds.join(', ')}) and action in ('request.priority', 'request.assignee') group by action order by action`);
  expect(audit.map((row) => [row.action, Number(row.n)])).toEqual([['request.assignee', 3], ['request.priority', 3]]);

  // x ticks the row whose link has the focus (j moves to it).
  await page.locator('h1').click();
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await expect(page.locator('.a-queue tbody tr').first().getByRole('checkbox')).toBeChecked();
  await page.getByRole('checkbox', { name: 'Cocher toutes les demandes de la page' }).check();
  await bar.getByRole('button', { name: 'Regrouper' }).click();
  await expect(page.getByRole('status')).toHaveText(`2 demandes regroupées dans la demande ${filed[0]!.reference}.`);
  const merged = await query(`select reference, status, merged_into_id from requests where id in (${requestIds.join(', ')}) order by id`);
  expect(merged).toMatchObject([
    { reference: filed[0]!.digits, merged_into_id: null },
    { reference: filed[1]!.digits, status: 'closed', merged_into_id: requestIds[0] },
    { reference: filed[2]!.digits, status: 'closed', merged_into_id: requestIds[0] },
  ]);
  expect(merged[0]!.status).not.toBe('closed');
});

for (const javaScriptEnabled of [true, false]) {
  test(`"send and open the next" goes through the queue the agent came from, then back to it (${javaScriptEnabled ? 'Ctrl+Shift+Enter' : 'without JavaScript'})`, async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const tag = tagOf(javaScriptEnabled ? 'suivjs' : 'suiv');
    const filed = await fileSome(page, 3, tag, (i) => `suivante-${tag}-${i}@example.org`);
    await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
    await page.goto(`/agent/?q=${tag}&tri=oldest`);
    await page.getByRole('link', { name: filed[0]!.reference }).click();
    for (let i = 0; i < filed.length; i += 1) {
      await expect(page.getByRole('heading', { level: 1 })).toContainText(`Demande ${filed[i]!.reference}`);
      if (i > 0) await expect(page.getByRole('status').first()).toHaveText(`Réponse envoyée. (demande ${filed[i - 1]!.reference}). Voici la demande suivante de la file.`);
      // The way back leads to the same queue.
      await expect(page.getByRole('link', { name: 'Retour aux demandes' })).toHaveAttribute('href', new RegExp(`q=${tag}`));
      if (javaScriptEnabled && i === 1) await expectAccessible(page, 'request opened by "send and open the next"');
      await page.getByLabel('Message').fill(`Bonjour, réponse ${i + 1}.`);
      if (javaScriptEnabled) await page.getByLabel('Message').press('Control+Shift+Enter');
      else await page.getByRole('button', { name: 'Envoyer et ouvrir la suivante' }).click();
    }
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');
    await expect(page.getByRole('status')).toHaveText(`Réponse envoyée. (demande ${filed[2]!.reference}). Il n’y a pas de demande après celle-ci dans cette file.`);
    await expect(page).toHaveURL(new RegExp(`q=${tag}`));
    if (javaScriptEnabled) await expectAccessible(page, 'queue reached at the end of "send and open the next"');
    const replies = await query(`select r.reference, count(m.id) as n from requests r join messages m on m.request_id = r.id and m.author = 'agent' and m.internal = 0 where r.reference in (${filed.map(() => '?').join(', ')}) group by r.reference order by r.id`, filed.map((f) => f.digits));
    expect(replies.map((row) => Number(row.n))).toEqual([1, 1, 1]);
    await context.close();
  });
}

test('the requester’s other requests are listed on the request page, and one click merges one here', async ({ page }) => {
  test.setTimeout(90_000);
  const tag = tagOf('meme');
  const email = `meme-${tag}@example.org`;
  const [older, newer] = await fileSome(page, 2, tag, () => email);
  await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
  await page.goto(`/agent/demandes/${newer!.digits}/`);
  const others = page.getByRole('region', { name: 'Autre demande de cette personne' });
  await expect(others.getByRole('link', { name: older!.reference })).toBeVisible();
  await expectAccessible(page, 'request page with the requester’s other requests');
  await others.getByRole('button', { name: `Regrouper ici : ${older!.reference}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`Demande ${newer!.reference}`);
  await expect(page.getByRole('status')).toHaveText(`La demande ${older!.reference} a été regroupée avec celle-ci.`);
  const [row] = await query('select status, (select reference from requests k where k.id = requests.merged_into_id) as kept from requests where reference = ?', [older!.digits]);
  expect(row).toEqual({ status: 'closed', kept: newer!.digits });
  expect(await query("select count(*) as n from audit_log where action = 'request.merge' and request_id = (select id from requests where reference = ?)", [older!.digits])).toEqual([{ n: 1 }]);
  // Once merged, it is listed without the button.
  await expect(others.getByRole('link', { name: older!.reference })).toBeVisible();
  await expect(others.getByRole('button')).toHaveCount(0);
});

test('with JavaScript, a saved reply is inserted at the cursor without reloading; help articles are suggested from the request with the residents’ search', async ({ page }) => {
  await fileRequest(page, { procedure: 'Payer la cantine', description: 'Je n’arrive pas à payer la cantine en ligne : ma carte bancaire est refusée.', name: 'Martine Lefèvre', axe: false });
  const { reference, digits } = await sendRequest(page, false);
  await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
  await page.goto(`/agent/demandes/${digits}/`);

  // Suggested: payment articles, not the screen reader or the fake site.
  const suggestions = page.locator('#aide-resultats li > a');
  await expect(suggestions.first()).toBeVisible();
  const titles = await suggestions.allTextContents();
  console.log(`help suggested for a canteen payment request: ${titles.join(' | ')}`);
  expect(titles.some((title) => /carte|pay|paie/i.test(title))).toBe(true);
  expect(titles.join(' ')).not.toMatch(/lecteur d’écran|faux site/i);

  const message = page.getByLabel('Message');
  await message.fill('Premier paragraphe.\n\nDernier paragraphe.');
  // The cursor after the first paragraph.
  await message.evaluate((field: HTMLTextAreaElement) => field.setSelectionRange('Premier paragraphe.'.length, 'Premier paragraphe.'.length));
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  await page.getByLabel('Réponse type').selectOption({ label: 'Demander une capture d’écran' });
  await page.getByRole('button', { name: 'Insérer la réponse type' }).click();
  await expect(message).toHaveValue(new RegExp(`^Premier paragraphe\\.\\n\\nBonjour Martine,\\n\\nPour comprendre ce qui bloque dans votre demande ${reference}[^]*\\n\\nDernier paragraphe\\.$`));
  await expect(message).toBeFocused();
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await expect(page.locator('[data-inserted]')).toHaveText('Texte inséré dans le message, à l’endroit du curseur.');
  // A help article's link, at the cursor now after the saved reply.
  const first = (await suggestions.first().textContent())!;
  await page.getByRole('button', { name: `Insérer le lien : ${first}` }).click();
  await expect(message).toHaveValue(new RegExp(`${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} : http`));
  await expect(message).toHaveValue(/Dernier paragraphe\.$/);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
  await expectAccessible(page, 'request page after an insertion');
});
