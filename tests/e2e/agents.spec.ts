import { expect, test } from '@playwright/test';
import { choosePassword, DEMO_ADMIN, DEMO_PASSWORD, inviteAgent, mailsTo, signIn, signOut } from './agent-helpers';
import { expectAccessible, fileRequest, query, sendRequest } from './request-helpers';

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? 'with JavaScript' : 'without JavaScript', () => {
    test.use({ javaScriptEnabled });

    test('an administrator creates an agent, who answers a new request from the queue; the resident sees and receives the reply, never the note; the audit log shows every step', async ({ browser, page }) => {
      test.setTimeout(120_000);
      const axe = async (label: string) => {
        if (javaScriptEnabled) await expectAccessible(page, label);
      };
      const tag = `${javaScriptEnabled ? 'js' : 'nojs'}${Date.now().toString(36)}`;
      const residentEmail = `resident-${tag}@example.org`;
      const agentEmail = `agent-${tag}@example.org`;

      // A resident reports a payment problem.
      const resident = await browser.newContext({ javaScriptEnabled });
      const residentPage = await resident.newPage();
      await fileRequest(residentPage, { description: `Ma carte bancaire est refusée au paiement de la cantine (${tag}).`, email: residentEmail, axe: false });
      const { reference, digits, link } = await sendRequest(residentPage, false);

      // The administrator invites an agent; the invitation arrives by mail.
      await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');
      await axe('queues (administrator)');
      const shownLink = await inviteAgent(page, 'Agathe Test', agentEmail);
      await axe('agents page after an invitation');
      const [invitation] = await mailsTo(agentEmail);
      expect(invitation!.text).toContain(shownLink);
      await signOut(page);

      // The agent chooses a password through the link and signs in.
      await page.goto(new URL(shownLink).pathname);
      await axe('choose a password');
      await choosePassword(page, shownLink, 'une phrase assez longue');
      await signIn(page, agentEmail, 'une phrase assez longue');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Demandes');

      // The request is in the "new" queue; a search finds it.
      await page.getByRole('link', { name: /^Nouvelles/ }).click();
      await expect(page.getByRole('link', { name: reference })).toBeVisible();
      await page.getByLabel('Chercher', { exact: true }).fill(tag);
      await page.getByRole('button', { name: 'Afficher' }).click();
      await expect(page.locator('.a-table caption')).toContainText('1 demande,');
      await axe('search results');
      await page.getByRole('link', { name: reference }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(`Demande ${reference}`);
      await axe('request page');

      // Assign it to oneself.
      await page.getByRole('button', { name: 'Me l’attribuer' }).click();
      await expect(page.getByRole('status')).toHaveText('Modifications enregistrées.');
      await expect(page.locator('.g-meta').first()).toContainText('attribuée à Agathe Test');

      // An internal note.
      await page.getByRole('radio', { name: 'Note interne' }).check();
      await page.getByLabel('Message').fill(`NOTE-INTERNE-${tag} : vérifier auprès du prestataire.`);
      await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
      await expect(page.getByRole('status')).toHaveText('Note interne ajoutée.');
      await expect(page.locator('.a-note')).toContainText(`NOTE-INTERNE-${tag}`);

      // A reply with the link of a help article, inserted from the suggestions.
      await page.getByLabel('Message').fill('Bonjour, voici ce qu’il faut vérifier :');
      await page.getByRole('button', { name: 'Insérer le lien : Ma carte bancaire est refusée, que faire ?' }).click();
      await expect(page.getByLabel('Message')).toHaveValue(/Bonjour, voici ce qu’il faut vérifier :\n\nMa carte bancaire est refusée, que faire\s?\? : http:\/\/127\.0\.0\.1:\d+\/faq\/carte-refusee\//);
      await axe('request page after inserting a link');
      await page.getByRole('radio', { name: 'Réponse à l’usager' }).check();
      await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
      await expect(page.getByRole('status')).toHaveText('Réponse envoyée.');

      // The resident sees the reply at the link, not the note; the mail carries the reply and the article.
      await residentPage.goto(link);
      const conversation = residentPage.locator('.g-messages');
      await expect(conversation).toContainText('Bonjour, voici ce qu’il faut vérifier');
      await expect(conversation.getByText('/faq/carte-refusee/', { exact: false })).toBeVisible();
      await expect(residentPage.locator('body')).not.toContainText('NOTE-INTERNE');
      await expect(residentPage.locator('.g-status')).toHaveText('En attente de votre réponse');
      const replies = await mailsTo(residentEmail, (mail) => mail.text.includes('voici ce qu’il faut vérifier'));
      expect(replies).toHaveLength(1);
      expect(replies[0]!.text).toContain('/faq/carte-refusee/');
      for (const mail of await mailsTo(residentEmail)) expect(mail.text + mail.html).not.toContain('NOTE-INTERNE');

      // The agent resolves it.
      await page.getByLabel('État', { exact: true }).selectOption({ label: 'Résolue' });
      await page.getByRole('button', { name: 'Enregistrer les changements', exact: true }).click();
      await expect(page.getByRole('status')).toHaveText('Modifications enregistrées.');
      await residentPage.goto(link);
      await expect(residentPage.locator('.g-status')).toHaveText('Résolue');
      await signOut(page);
      await resident.close();

      // The audit log, read by an administrator, shows every step.
      const [agentRow] = await query('select id from agents where email = ?', [agentEmail]);
      const [requestRow] = await query('select id from requests where reference = ?', [digits]);
      const logged = (await query('select action from audit_log where agent_id = ? order by id', [agentRow!.id])).map((r) => r.action);
      expect(logged).toEqual(['invitation.accepted', 'sign-in', 'request.assignee', 'request.note', 'request.reply', 'request.status', 'request.status', 'sign-out']);
      expect(await query("select action from audit_log where request_id = ? and action like 'request.%'", [requestRow!.id])).toHaveLength(5);
      await signIn(page, DEMO_ADMIN, DEMO_PASSWORD);
      await page.goto(`/agent/admin/journal/?agent=${agentRow!.id}`);
      await axe('audit log');
      const rows = page.locator('.a-table tbody tr');
      for (const label of ['Invitation acceptée', 'Connexion', 'Attribution changée', 'Note interne ajoutée', 'Réponse envoyée', 'État changé', 'Déconnexion']) {
        await expect(rows.filter({ hasText: label }).first()).toBeVisible();
      }
      await expect(rows.filter({ hasText: 'Réponse envoyée' })).toContainText(reference);
      await page.goto('/agent/admin/journal/');
      await expect(page.locator('.a-table tbody')).toContainText(`compte : ${agentEmail}`);
    });
  });
}
