/**
 * Requests received by mail, against a real IMAP server (started here, on a free port) and a
 * real database file: what becomes a request, what joins one, what is set aside, and what an
 * outage does (nothing is lost, the reading is tried again).
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachments, auditLog, inboundMails, mailIntake, mailOutbox, messages, requesters, requests } from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import { checkMailbox, MAIL_INTAKE_LIMITS, tryMailbox } from '../../src/lib/server/mail/intake';
import { saveMailIntake } from '../../src/lib/server/mail/intake-config';
import { addAgentMessage, findRequestById } from '../../src/lib/server/requests';
import { addAgent } from '../helpers/agents';
import { freshDatabase } from '../helpers/db';
import { type ImapServer, MAILBOX, message, PDF, startImapServer } from '../helpers/imap';
import { PNG, settings } from '../helpers/requests';

let db: Db;
let cleanup: () => void;
let imap: ImapServer;

beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
  imap = await startImapServer();
});
afterEach(async () => {
  await imap.stop();
  cleanup();
});

async function connect(overrides: Partial<{ password: string; folder: string; port: number }> = {}) {
  const admin = await addAgent(db, `admin-${Math.random()}@example.org`, 'admin');
  await saveMailIntake(db, admin, { enabled: true, host: '127.0.0.1', port: overrides.port ?? imap.port, security: 'none', username: MAILBOX.user, password: overrides.password ?? MAILBOX.pass, folder: overrides.folder ?? 'INBOX', address: MAILBOX.user });
  return admin;
}

const check = () => checkMailbox(db, settings);
const allRequests = () => db.select().from(requests).orderBy(asc(requests.id));
const conversation = (requestId: number) => db.select().from(messages).where(eq(messages.requestId, requestId)).orderBy(asc(messages.id));

// Each test opens a few dozen IMAP connections: generous time, so that a slow machine does not fail it.
describe('requests received by mail', { timeout: 60_000 }, () => {
  it('a message with a PDF becomes a request on the e-mail channel, its files kept as the form keeps them, acknowledged with an answerable mail', async () => {
    await connect();
    // Connected before anything arrived: the first reading finds nothing.
    expect(await check()).toMatchObject({ read: 0, requests: 0 });
    await imap.deliver(
      message({
        from: '"Amélie Durand" <Amelie.Durand@example.net>',
        subject: 'Impossible de payer la cantine',
        text: 'Bonjour,\n\nLe paiement de la cantine est refusé depuis lundi. Je joins la facture.\n\nAmélie Durand',
        attachments: [
          { fileName: 'facture-octobre.pdf', contentType: 'application/pdf', data: PDF },
          { fileName: 'programme.exe', contentType: 'application/octet-stream', data: Buffer.from('MZ\x90\x00not a document') },
          // A signature's logo, shown inline: not a document of the request.
          { fileName: 'logo.png', contentType: 'image/png', data: PNG, inline: true },
        ],
      }),
    );
    expect(await check()).toMatchObject({ read: 1, requests: 1, replies: 0, ignored: 0 });

    const [request] = await allRequests();
    expect(request).toMatchObject({ intake: 'email', channel: 'email', category: 'other', status: 'new', procedure: 'Impossible de payer la cantine', locale: 'fr' });
    expect(request!.description).toContain('Le paiement de la cantine est refusé depuis lundi.');
    const [person] = await db.select().from(requesters).where(eq(requesters.id, request!.requesterId));
    expect(person).toMatchObject({ name: 'Amélie Durand', email: 'amelie.durand@example.net', kind: 'resident' });
    // The PDF kept byte for byte; the program refused (and said so in the conversation); the logo left out.
    const files = await db.select().from(attachments).where(eq(attachments.requestId, request!.id));
    expect(files.map((f) => [f.fileName, f.contentType, Buffer.from(f.data as Uint8Array).equals(PDF)])).toEqual([['facture-octobre.pdf', 'application/pdf', true]]);
    expect((await conversation(request!.id)).map((m) => [m.author, m.body])).toEqual([['system', 'mail-dropped:programme.exe']]);
    // Due dates as for any request.
    expect(request!.dueAt.getTime()).toBeGreaterThan(request!.createdAt.getTime());

    // The acknowledgement carries the private link and invites an answer by mail, to the mailbox.
    const [ack] = await db.select().from(mailOutbox).where(eq(mailOutbox.requestId, request!.id));
    expect(ack).toMatchObject({ kind: 'acknowledgement', toAddress: 'amelie.durand@example.net', replyTo: MAILBOX.user });
    expect(ack!.textBody).toMatch(/\/suivi\/[a-z2-7]{52}\//);
    expect(ack!.textBody).toContain('Vous pouvez aussi répondre à cet e-mail');
    expect(ack!.messageId).toMatch(/^<[0-9a-f]{32}@[^>]+>$/);

    // Read: marked as seen in the mailbox; the reading position moved past it.
    expect([...(await imap.flags()).values()]).toEqual([['\\Seen']]);
    const [state] = await db.select().from(mailIntake);
    expect(state).toMatchObject({ lastUid: 1, failures: 0, lastError: null });
    expect(state!.lastSuccessAt).not.toBeNull();
  });

  it('an answer joins its request: by In-Reply-To, or by the reference in the subject from the same address; the quoted mail is left out', async () => {
    await connect();
    await check();
    await imap.deliver(message({ from: 'marc@example.net', subject: 'Inscription périscolaire', text: 'Je n’arrive pas à inscrire mon fils.' }));
    await check();
    const [request] = await allRequests();
    // An agent answers by mail; the resident answers the agent's mail from their mailbox.
    await addAgentMessage(db, { requestId: request!.id, agentName: 'Claire', body: 'Pouvez-vous nous envoyer le justificatif de domicile ?', internal: false }, settings);
    const reply = (await db.select().from(mailOutbox).where(and(eq(mailOutbox.requestId, request!.id), eq(mailOutbox.kind, 'reply'))))[0]!;
    expect((await findRequestById(db, request!.id))!.status).toBe('waiting');
    const link = reply.textBody.match(/https:\/\/\S+\/suivi\/[a-z2-7]{52}\//)![0];
    await imap.deliver(
      message({
        from: 'Marc Petit <marc@example.net>',
        subject: `Re: ${reply.subject}`,
        inReplyTo: reply.messageId!,
        text: `Voici le justificatif.\n\nMarc\n\nLe mar. 1 déc. 2026 à 10:00, Mairie <ne-pas-repondre@example.org> a écrit :\n> Bonjour,\n> Pour répondre, ouvrez ce lien :\n> ${link}\n`,
        attachments: [{ fileName: 'justificatif.pdf', contentType: 'application/pdf', data: PDF }],
      }),
    );
    // Later, the resident writes again, quoting only the reference in a new mail.
    await imap.deliver(message({ from: 'marc@example.net', subject: `Demande n° ${request!.reference.replace(/(\d{3})(\d{3})(\d{3})/, '$1-$2-$3')}`, text: 'Avez-vous bien reçu mon justificatif ?' }));
    // Someone else quoting the same reference does not join it: anyone may type a number.
    await imap.deliver(message({ from: 'inconnu@example.com', subject: `Demande ${request!.reference}`, text: 'Je voudrais des nouvelles de cette demande.' }));
    expect(await check()).toMatchObject({ read: 3, requests: 1, replies: 2, ignored: 0 });

    const joined = await conversation(request!.id);
    const fromResident = joined.filter((m) => m.author === 'requester');
    expect(fromResident.map((m) => m.body)).toEqual(['Voici le justificatif.\n\nMarc', 'Avez-vous bien reçu mon justificatif ?']);
    expect(fromResident.some((m) => m.body.includes('/suivi/'))).toBe(false);
    const files = await db.select().from(attachments).where(eq(attachments.requestId, request!.id));
    expect(files.map((f) => [f.fileName, f.messageId])).toEqual([['justificatif.pdf', fromResident[0]!.id]]);
    // The answer reopened the request the agent was waiting on.
    expect((await findRequestById(db, request!.id))!.status).toBe('open');
    const all = await allRequests();
    expect(all).toHaveLength(2);
    expect(all[1]!.description).toBe('Je voudrais des nouvelles de cette demande.');
  });

  it('cuts what is longer than a request holds, and reads a message written in HTML only', async () => {
    await connect();
    await check();
    const long = `${'Le paiement ne passe pas. '.repeat(300)}Fin.`;
    await imap.deliver(message({ from: 'long@example.net', subject: `Objet ${'très '.repeat(60)}long`, text: long }));
    await imap.deliver(
      [
        'From: html@example.net',
        `To: ${MAILBOX.user}`,
        'Subject: HTML',
        'Message-ID: <html-only@example.net>',
        'MIME-Version: 1.0',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<html><body><p>Bonjour,</p><p>Le <b>paiement</b> est refusé.</p></body></html>',
        '',
      ].join('\r\n'),
    );
    expect(await check()).toMatchObject({ requests: 2 });
    const [cut, html] = await allRequests();
    expect(cut!.description).toHaveLength(5000);
    expect(cut!.description.endsWith(' […]')).toBe(true);
    expect(cut!.procedure.length).toBeLessThanOrEqual(200);
    expect(html!.description).toBe('Bonjour,\n\nLe paiement est refusé.');
  });

  it('an answer to a closed request opens a new one that names it', async () => {
    await connect();
    await check();
    await imap.deliver(message({ from: 'lea@example.net', subject: 'Carte de bus', text: 'Ma carte ne marche plus.' }));
    await check();
    const [first] = await allRequests();
    await db.update(requests).set({ status: 'closed', closedAt: new Date() }).where(eq(requests.id, first!.id));
    const [ack] = await db.select().from(mailOutbox).where(eq(mailOutbox.requestId, first!.id));
    await imap.deliver(message({ from: 'lea@example.net', subject: 'Re: carte', inReplyTo: ack!.messageId!, text: 'Elle ne marche toujours pas.' }));
    expect(await check()).toMatchObject({ requests: 1, replies: 0 });
    const [, second] = await allRequests();
    expect((await conversation(second!.id)).map((m) => m.body)).toEqual([`mail-follow-up:${first!.reference}`]);
  });

  it('sets aside auto-replies, bounces, mailing lists and its own mail, and a sender that floods the mailbox', async () => {
    await connect();
    await check();
    await imap.deliver([
      message({ from: 'agent@example.net', subject: 'Absence du bureau', text: 'Je suis absent jusqu’au 4 janvier.', headers: { 'Auto-Submitted': 'auto-replied' } }),
      message({ from: 'vacances@example.net', subject: 'Réponse automatique', text: 'En congés.', headers: { 'X-Autoreply': 'yes' } }),
      message({ from: 'MAILER-DAEMON@mx.example.net', subject: 'Undelivered Mail Returned to Sender', text: 'This is the mail system.' }),
      message({ from: 'lettre@example.com', subject: 'La lettre du mois', text: 'Nouveautés', headers: { 'List-Unsubscribe': '<mailto:unsubscribe@example.com>', Precedence: 'bulk' } }),
      // The mailbox writing to itself (a forward rule, a reply-to loop).
      message({ from: `Service d’aide <${MAILBOX.user.toUpperCase()}>`, subject: 'Demande reçue', text: 'Nous avons bien reçu votre demande.' }),
    ]);
    expect(await check()).toMatchObject({ read: 5, requests: 0, replies: 0, ignored: 5 });
    const reasons = await db.select({ reason: inboundMails.reason }).from(inboundMails).orderBy(asc(inboundMails.id));
    expect(reasons.map((r) => r.reason)).toEqual(['auto-reply', 'auto-reply', 'bounce', 'bulk', 'loop']);

    // One of our own mails coming back (same Message-ID) is not a request either.
    await imap.deliver(message({ from: 'claire@example.net', subject: 'Vraie demande', text: 'Bonjour, mon compte est bloqué.' }));
    await check();
    const [ack] = await db.select().from(mailOutbox);
    await imap.deliver(message({ from: 'claire@example.net', subject: 'Demande reçue', text: 'copie', messageId: ack!.messageId! }));
    expect(await check()).toMatchObject({ read: 1, ignored: 1 });

    // A robot that escapes the headers: at most ten new requests an hour from one address.
    await imap.deliver(Array.from({ length: MAIL_INTAKE_LIMITS.requestsPerSenderPerHour + 1 }, (_, i) => message({ from: 'robot@example.com', subject: `Alerte ${i}`, text: `Alerte numéro ${i}` })));
    expect(await check()).toMatchObject({ requests: MAIL_INTAKE_LIMITS.requestsPerSenderPerHour, ignored: 1 });
    expect(await allRequests()).toHaveLength(1 + MAIL_INTAKE_LIMITS.requestsPerSenderPerHour);
  });

  it('loses nothing when the mailbox is out: the reading fails, is tried again later, and takes up where it stood', async () => {
    await connect();
    await check();
    await imap.deliver(message({ from: 'a@example.net', subject: 'Premier', text: 'Un.' }));
    await imap.deliver(message({ from: 'b@example.net', subject: 'Deuxième', text: 'Deux.' }));
    await imap.deliver(message({ from: 'c@example.net', subject: 'Troisième', text: 'Trois.' }));

    // The server is down: nothing read, the error kept for the settings page, a later try planned.
    await imap.down();
    const before = Date.now();
    const failed = await check();
    expect(failed.error).toMatch(/^connect: /);
    let [state] = await db.select().from(mailIntake);
    expect(state).toMatchObject({ failures: 1, lastUid: 0, lockedUntil: null });
    expect(state!.lastError).toMatch(/ECONNREFUSED/);
    expect(state!.nextCheckAt!.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    expect(await allRequests()).toHaveLength(0);

    // Back, and the line drops while the second message is downloaded: the first is stored, the rest waits.
    await imap.up();
    imap.cutDuringDownload(2);
    const cut = await check();
    expect(cut).toMatchObject({ read: 1, requests: 1 });
    expect(cut.error).toBeDefined();
    [state] = await db.select().from(mailIntake);
    expect(state).toMatchObject({ lastUid: 1, failures: 2 });

    // The next reading takes the rest, once each.
    const rest = await check();
    expect(rest).toMatchObject({ read: 2, requests: 2 });
    expect(rest.error).toBeUndefined();
    expect((await allRequests()).map((r) => r.procedure)).toEqual(['Premier', 'Deuxième', 'Troisième']);
    [state] = await db.select().from(mailIntake);
    expect(state).toMatchObject({ lastUid: 3, failures: 0, lastError: null });

    // Read again from the start (the position lost), nothing is stored twice.
    await db.update(mailIntake).set({ lastUid: 0 });
    expect(await check()).toMatchObject({ read: 3, requests: 0, replies: 0, ignored: 0 });
    expect(await allRequests()).toHaveLength(3);
  });

  it('takes only the unread messages at the first reading, and lets one server read at a time', async () => {
    await imap.deliver(message({ from: 'ancien@example.net', subject: 'Ancien message déjà traité', text: 'Vieux.' }), true);
    await imap.deliver(message({ from: 'nouveau@example.net', subject: 'Pas encore lu', text: 'Neuf.' }));
    await connect();
    const [first, second] = await Promise.all([check(), check()]);
    expect([first.skipped, second.skipped].filter(Boolean)).toEqual(['busy']);
    expect((await allRequests()).map((r) => r.procedure)).toEqual(['Pas encore lu']);
    await imap.deliver(message({ from: 'apres@example.net', subject: 'Arrivé ensuite', text: 'Après.' }));
    expect(await check()).toMatchObject({ read: 1, requests: 1 });
  });

  it('says which setting is wrong before saving: the server, the password, the folder', async () => {
    const config = { enabled: true, host: '127.0.0.1', port: imap.port, security: 'none' as const, username: MAILBOX.user, password: MAILBOX.pass, folder: 'INBOX', address: MAILBOX.user };
    expect(await tryMailbox(config)).toMatchObject({ ok: true });
    expect(await tryMailbox({ ...config, password: 'faux' })).toMatchObject({ ok: false, field: 'password' });
    expect(await tryMailbox({ ...config, folder: 'Nulle part' })).toMatchObject({ ok: false, field: 'folder' });
    await imap.down();
    expect(await tryMailbox(config)).toMatchObject({ ok: false, field: 'host' });
    await imap.up();
    // Saving is audit-logged, without the password.
    const admin = await connect();
    const [entry] = await db.select().from(auditLog).where(eq(auditLog.agentId, admin.id));
    expect(entry!.action).toBe('admin.mailbox');
    expect(JSON.stringify(entry!.details)).not.toContain(MAILBOX.pass);
  });
});
