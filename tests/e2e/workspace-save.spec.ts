// The request page saves everything an agent changed with one form: the side fields travel
// with the message, or are saved alone with the text being written kept; and the queue says
// which requests have a resident's reply the agent has not seen. With and without JavaScript.
import { expect, test } from '@playwright/test';
import { DEMO_ADMIN, DEMO_AGENT, DEMO_PASSWORD, signIn } from './agent-helpers';
import { expectAccessible, fileRequest, pngFile, query, sendRequest } from './request-helpers';

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('a priority changed in the side panel is saved with the note sent; changes saved alone keep the text typed', async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      const description = `Priorité perdue ${Date.now()} ${javaScriptEnabled ? 'js' : 'sans-js'} : le paiement échoue.`;
      await fileRequest(page, { description, axe: false });
      const { digits } = await sendRequest(page, false);
      await signIn(page, DEMO_AGENT, DEMO_PASSWORD);
      await page.goto(`/agent/demandes/${digits}/`);

      // Priority in the side panel, then a note sent from the composer: both are saved.
      await page.getByLabel('Priorité').selectOption({ label: 'Urgente' });
      await page.getByRole('radio', { name: 'Note interne' }).check();
      await page.getByLabel('Message').fill('Appeler le prestataire de paiement.');
      await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
      await expect(page.getByRole('status')).toContainText('Note interne ajoutée. Les changements de la demande sont enregistrés aussi.');
      await expect(page.locator('.g-meta').first()).toContainText('Urgente');
      await expect(page.getByLabel('Priorité')).toHaveValue('urgent');
      const [request] = await query('select id, priority from requests where reference = ?', [digits]);
      expect(request!.priority).toBe('urgent');
      const audit = await query("select action from audit_log where request_id = ? and action in ('request.priority', 'request.note') order by id", [request!.id]);
      expect(audit.map((row) => row.action)).toEqual(['request.priority', 'request.note']);

      // The category changed alone, with a reply being written: saved, the reply still in the field, not sent.
      await page.getByLabel('Message').fill('Bonjour, nous regardons votre paiement.');
      await page.getByLabel('Catégorie').selectOption({ label: 'Compte' });
      await page.getByRole('button', { name: 'Enregistrer les changements' }).click();
      await expect(page.getByRole('status')).toHaveText('Changements enregistrés. Votre texte n’est pas encore envoyé : il est toujours dans le champ.');
      await expect(page.getByLabel('Message')).toHaveValue('Bonjour, nous regardons votre paiement.');
      await expect(page.getByLabel('Catégorie')).toHaveValue('account');
      if (javaScriptEnabled) await expectAccessible(page, 'request page, changes saved with the text kept');
      const [after] = await query("select category, (select count(*) from messages where request_id = requests.id and author = 'agent' and internal = 0) as replies from requests where reference = ?", [digits]);
      expect(after).toMatchObject({ category: 'account', replies: 0 });

      // A refused change (an unknown priority, as a forged post sends it) stores nothing, message included.
      const before = await query('select count(*) as n from messages where request_id = ?', [request!.id]);
      const forged = await page.request.post(`/agent/demandes/${digits}/?_action=agent.write`, {
        multipart: { reference: digits, kind: 'reply', body: 'Ne doit pas partir.', status: '', priority: 'très-haute', category: 'payment', assignee: 'none', seen: '999999' },
        headers: { Origin: new URL(page.url()).origin },
      });
      expect(forged.status()).toBe(400);
      expect(await forged.text()).toContain('id="error-summary"');
      expect(await query('select count(*) as n from messages where request_id = ?', [request!.id])).toEqual(before);
      // A file chosen with no text is a message missing its text: refused, the priority change with it.
      const fileOnly = await page.request.post(`/agent/demandes/${digits}/?_action=agent.write`, {
        multipart: { reference: digits, kind: 'reply', body: '', status: '', priority: 'low', category: 'account', assignee: 'none', seen: '999999', files: pngFile('capture.png') },
        headers: { Origin: new URL(page.url()).origin },
      });
      expect(fileOnly.status()).toBe(400);
      expect(await fileOnly.text()).toContain('id="error-summary"');
      expect((await query('select priority from requests where id = ?', [request!.id]))[0]!.priority).toBe('urgent');
      await context.close();
    });

    test('a resident’s reply marks the request in the queue until the agent opens it', async ({ browser }) => {
      const context = await browser.newContext({ javaScriptEnabled });
      const resident = await context.newPage();
      const description = `Non lu ${Date.now()} ${javaScriptEnabled ? 'js' : 'sans-js'} : je ne peux pas me connecter.`;
      await fileRequest(resident, { description, axe: false });
      const { digits, reference, link } = await sendRequest(resident, false);
      const agentContext = await browser.newContext({ javaScriptEnabled });
      const agent = await agentContext.newPage();
      await signIn(agent, DEMO_AGENT, DEMO_PASSWORD);
      const row = () => agent.locator('tbody tr', { has: agent.getByRole('link', { name: reference }) });
      const search = async () => {
        await agent.goto(`/agent/?file=all&q=${encodeURIComponent(description.slice(0, 20))}`);
        await expect(row()).toHaveCount(1);
      };
      // Never opened: marked as such.
      await search();
      await expect(row()).toContainText('Pas encore ouverte');
      await expect(row()).toHaveClass(/a-unread/);
      // Opened, then answered by the agent: no mark.
      await agent.goto(`/agent/demandes/${digits}/`);
      await agent.getByLabel('Message').fill('Bonjour, pouvez-vous préciser le message d’erreur ?');
      await agent.getByRole('button', { name: 'Envoyer', exact: true }).click();
      await expect(agent.getByRole('status')).toContainText('Réponse envoyée.');
      await search();
      await expect(row()).not.toHaveClass(/a-unread/);
      await expect(row()).not.toContainText('L’usager a répondu');
      // The resident replies at the private link: the row is marked.
      await resident.goto(link);
      await resident.getByLabel('Votre message').fill('Le message dit « identifiant inconnu ».');
      await resident.getByRole('button', { name: 'Envoyer le message' }).click();
      await expect(resident.getByRole('status')).toContainText('Votre message a été envoyé.');
      await search();
      await expect(row()).toContainText('L’usager a répondu');
      await expect(row()).toHaveClass(/a-unread/);
      if (javaScriptEnabled) await expectAccessible(agent, 'queue with an unread reply');
      // Opened: the mark is gone.
      await row().getByRole('link', { name: reference }).click();
      await expect(agent.getByText('Le message dit « identifiant inconnu ».')).toBeVisible();
      await search();
      await expect(row()).not.toContainText('L’usager a répondu');
      await expect(row()).not.toHaveClass(/a-unread/);
      await agentContext.close();
      await context.close();
    });
  });
}

test('residents see the name an agent chose, never the team’s label; a saved reply fills in the resident’s name, the reference and the signature', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const description = `Nom public ${Date.now()} : je n’arrive pas à envoyer mon justificatif.`;
  await fileRequest(page, { description, axe: false, name: 'Martine Lefèvre' });
  const { digits, reference, link } = await sendRequest(page, false);
  await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
  try {
    // The profile: a public name and a signature.
    await page.getByRole('link', { name: 'Mon profil' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mon profil');
    await expect(page.getByText('Laissé vide : « Claire »')).toBeVisible();
    await page.getByLabel('Nom montré aux usagers').fill('Claire D.');
    await page.getByLabel('Signature').fill('Claire D.\nService enfance');
    await page.getByRole('button', { name: 'Enregistrer mon profil' }).click();
    await expect(page.getByRole('status')).toHaveText('Profil enregistré.');
    await expectAccessible(page, 'profile saved');

    // A saved reply in the request's language only, its placeholders filled in.
    await page.goto(`/agent/demandes/${digits}/`);
    const saved = page.getByLabel('Réponse type');
    // (other tests may add French ones meanwhile)
    const titles = await saved.locator('option').allTextContents();
    expect(titles).toEqual(expect.arrayContaining(['Demander une capture d’écran', 'Proposer un rendez-vous']));
    expect(titles).not.toContain('Ask for a screenshot');
    await saved.selectOption({ label: 'Demander une capture d’écran' });
    await page.getByRole('button', { name: 'Insérer la réponse type' }).click();
    const body = page.getByLabel('Message');
    await expect(body).toHaveValue(new RegExp(`^Bonjour Martine,\\n\\nPour comprendre ce qui bloque dans votre demande ${reference},`));
    await expect(body).toHaveValue(/Bien cordialement,\nClaire D\.\nService enfance$/);
    await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await expect(page.getByRole('status')).toContainText('Réponse envoyée.');

    // The resident sees the public name; the team's label and the full name stay in the workspace.
    await page.goto(link);
    const conversation = page.locator('.g-messages');
    await expect(conversation).toContainText('Claire D.');
    await expect(page.locator('body')).not.toContainText('Admin (démo)');
  } finally {
    // Back to the defaults, for the other tests.
    await page.goto('/agent/profil/');
    await page.getByLabel('Nom montré aux usagers').fill('');
    await page.getByLabel('Signature').fill('');
    await page.getByRole('button', { name: 'Enregistrer mon profil' }).click();
    await context.close();
  }
});
