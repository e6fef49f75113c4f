import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachments, mailOutbox, messages, requestAccessTokens, requests, statusHistory } from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import {
  addAgentMessage,
  addRequesterReply,
  changeStatus,
  closeByRequester,
  createRequest,
  findPublicAttachment,
  findRequestByToken,
  LINK_DAYS_AFTER_CLOSE,
  publicConversation,
  resendLink,
  submitDraft,
} from '../../src/lib/server/requests';
import { addDraftFiles, createDraft, findDraft } from '../../src/lib/server/requests/drafts';
import { generateToken, hashToken, trackingTokenFor } from '../../src/lib/server/requests/tokens';
import { freshDatabase } from '../helpers/db';
import { completeDraft, png, resident, settings } from '../helpers/requests';

let db: Db;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

const total = async (table: typeof requests | typeof mailOutbox | typeof attachments) => (await db.select({ n: count() }).from(table))[0]!.n;

describe('sending a request from its draft', () => {
  it('creates the request with its files, history, private link and acknowledgement mail', async () => {
    const { token, draftId } = await completeDraft(db);
    await addDraftFiles(db, draftId, [png('capture.png')]);
    const result = await submitDraft(db, draftId, token, 'fr', settings, Date.parse('2026-11-27T18:00:00Z'));
    expect(result).toMatchObject({ ok: true, created: true });
    if (!result.ok) return;
    expect(result.reference).toMatch(/^\d{9}$/);
    const found = await findRequestByToken(db, trackingTokenFor(token));
    expect(found.ok && found.request).toMatchObject({ id: result.requestId, status: 'new', procedure: 'Payer la cantine', requester: { name: 'Martine Lefèvre' } });
    // Sent on Friday at 19:00 Paris time, after closing: counted from Monday, due on Wednesday at closing.
    expect(found.ok && found.request.dueAt.toISOString()).toBe('2026-12-02T16:00:00.000Z');
    const conversation = await publicConversation(db, result.requestId);
    expect(conversation.initialFiles.map((f) => f.fileName)).toEqual(['capture.png']);
    expect(conversation.history.map((h) => h.toStatus)).toEqual(['new']);
    const [mail] = await db.select().from(mailOutbox);
    expect(mail).toMatchObject({ kind: 'acknowledgement', toAddress: 'martine@example.org', status: 'pending', locale: 'fr' });
    expect(mail!.textBody).toContain(`https://aide.example.org/suivi/${trackingTokenFor(token)}/`);
  });

  it('creates one request when "send" is posted twice, even at the same moment', async () => {
    const { token, draftId } = await completeDraft(db);
    const [a, b] = await Promise.all([submitDraft(db, draftId, token, 'fr', settings), submitDraft(db, draftId, token, 'fr', settings)]);
    const again = await submitDraft(db, draftId, token, 'fr', settings);
    expect(await total(requests)).toBe(1);
    expect(await total(mailOutbox)).toBe(1);
    expect([a, b, again].map((r) => r.ok && r.reference)).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
    expect(new Set([a, b, again].map((r) => r.ok && r.requestId)).size).toBe(1);
    expect([a, b].filter((r) => r.ok && r.created)).toHaveLength(1);
  });

  it('sends nothing while a step is unanswered, and says which', async () => {
    const { token, draft } = await createDraft(db);
    expect(await submitDraft(db, draft.id, token, 'fr', settings)).toEqual({ ok: false, missing: ['procedure', 'problem', 'who', 'about', 'answer'] });
    expect(await total(requests)).toBe(0);
  });

  it('never lets a draft hold more than five files, even with two posts at once', async () => {
    const { draft } = await createDraft(db);
    const results = await Promise.all([addDraftFiles(db, draft.id, [png('1.png'), png('2.png'), png('3.png')]), addDraftFiles(db, draft.id, [png('4.png'), png('5.png'), png('6.png')])]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, room: 2 });
    expect(await total(attachments)).toBe(3);
  });

  it('forgets drafts left alone for a day, with their files', async () => {
    const old = await createDraft(db, Date.now() - 25 * 60 * 60 * 1000);
    await addDraftFiles(db, old.draft.id, [png('old.png')], Date.now() - 25 * 60 * 60 * 1000);
    expect(await findDraft(db, old.token)).toBeUndefined();
    await createDraft(db);
    expect(await total(attachments)).toBe(0);
  });
});

describe('privacy: what a private link reaches', () => {
  async function twoRequests() {
    const a = await createRequest(db, resident, settings, { files: [png('a.png')] });
    const b = await createRequest(db, { ...resident, name: 'Karim Benali', email: 'karim@example.org' }, settings, { files: [png('b.png')] });
    return { a, b };
  }

  it('a token reaches only its own request, and a forged or truncated one reaches none', async () => {
    const { a, b } = await twoRequests();
    const found = await findRequestByToken(db, a.token);
    expect(found.ok && found.request.id).toBe(a.id);
    expect(found.ok && found.request.requester.name).toBe('Martine Lefèvre');
    expect(await findRequestByToken(db, generateToken())).toEqual({ ok: false, reason: 'unknown' });
    expect(await findRequestByToken(db, a.token.slice(0, -1))).toEqual({ ok: false, reason: 'unknown' });
    expect(await findRequestByToken(db, hashToken(a.token))).toEqual({ ok: false, reason: 'unknown' });
    const [bFile] = await db.select({ id: attachments.id }).from(attachments).where(eq(attachments.requestId, b.id));
    expect(await findPublicAttachment(db, a.id, bFile!.id)).toBeUndefined();
  });

  it('only hashes of tokens are stored', async () => {
    const { a } = await twoRequests();
    const stored = await db.select({ hash: requestAccessTokens.tokenHash }).from(requestAccessTokens);
    expect(stored.map((s) => s.hash)).toContain(hashToken(a.token));
    expect(stored.map((s) => s.hash)).not.toContain(a.token);
  });

  it('a resident never sees an internal note, nor a file attached to one, and it is never mailed', async () => {
    const { a } = await twoRequests();
    const note = await addAgentMessage(db, { requestId: a.id, agentName: 'Sophie', body: 'Note : vérifier le compte bancaire', internal: true }, settings);
    await db.insert(attachments).values({ requestId: a.id, messageId: note.messageId, ...png('interne.png'), createdAt: new Date() });
    await addAgentMessage(db, { requestId: a.id, agentName: 'Sophie', body: 'Pouvez-vous réessayer ?', internal: false }, settings);
    const conversation = await publicConversation(db, a.id);
    expect(conversation.messages.map((m) => m.body)).toEqual(['Pouvez-vous réessayer ?']);
    expect(JSON.stringify(conversation)).not.toContain('interne.png');
    const [internalFile] = await db.select({ id: attachments.id }).from(attachments).where(eq(attachments.messageId, note.messageId));
    expect(await findPublicAttachment(db, a.id, internalFile!.id)).toBeUndefined();
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'reply'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.textBody).not.toContain('vérifier le compte');
  });

  it('a link stops working some time after its request was closed', async () => {
    const { a } = await twoRequests();
    const closedAt = Date.now() - (LINK_DAYS_AFTER_CLOSE + 1) * 86_400_000;
    await closeByRequester(db, a.id, closedAt);
    expect(await findRequestByToken(db, a.token)).toEqual({ ok: false, reason: 'expired' });
  });
});

describe('the conversation', () => {
  it('a resident’s reply reopens a request waiting for them, and a closed request takes no reply', async () => {
    const { id } = await createRequest(db, resident, settings);
    await addAgentMessage(db, { requestId: id, agentName: 'Sophie', body: 'Quel navigateur ?', internal: false }, settings);
    expect((await db.select({ status: requests.status }).from(requests))[0]!.status).toBe('waiting');
    expect(await addRequesterReply(db, id, 'Firefox', [png('capture.png')])).toMatchObject({ ok: true });
    expect((await db.select({ status: requests.status }).from(requests))[0]!.status).toBe('open');
    expect(await closeByRequester(db, id)).toBe(true);
    expect(await addRequesterReply(db, id, 'Encore moi', [])).toEqual({ ok: false, reason: 'closed' });
    const history = await db.select({ from: statusHistory.fromStatus, to: statusHistory.toStatus, actor: statusHistory.actor }).from(statusHistory);
    expect(history).toEqual([
      { from: null, to: 'new', actor: 'requester' },
      { from: 'new', to: 'waiting', actor: 'agent' },
      { from: 'waiting', to: 'open', actor: 'requester' },
      { from: 'open', to: 'closed', actor: 'requester' },
    ]);
    expect((await db.select({ n: count() }).from(messages))[0]!.n).toBe(2);
  });

  it('refuses a status change the rules do not allow', async () => {
    const { id } = await createRequest(db, resident, settings);
    expect(await changeStatus(db, id, 'new', 'Sophie', settings)).toBe(false);
    expect(await changeStatus(db, id, 'resolved', 'Sophie', settings)).toBe(true);
    expect(await changeStatus(db, id, 'waiting', 'Sophie', settings)).toBe(false);
  });
});

describe('asking for the link again', () => {
  it('mails a new link when reference and email match, and nothing otherwise', async () => {
    const { reference, token } = await createRequest(db, resident, settings, { notify: false });
    expect(await resendLink(db, reference, ' Martine@Example.org ', 'en', settings)).toBe(true);
    expect(await resendLink(db, reference, 'someone@example.org', 'fr', settings)).toBe(false);
    expect(await resendLink(db, '000000000', 'martine@example.org', 'fr', settings)).toBe(false);
    const mails = await db.select().from(mailOutbox);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'link', locale: 'en', toAddress: 'martine@example.org' });
    const link = mails[0]!.textBody.match(/\/en\/track\/([a-z2-7]{52})\//)![1]!;
    expect(link).not.toBe(token);
    expect((await findRequestByToken(db, link)).ok).toBe(true);
    expect((await findRequestByToken(db, token)).ok).toBe(true);
  });

  it('mails nothing for a resident who gave no email', async () => {
    const { reference } = await createRequest(db, { ...resident, channel: 'phone', email: undefined, phone: '0612345678', callbackSlots: ['any-time'] }, settings);
    expect(await resendLink(db, reference, 'martine@example.org', 'fr', settings)).toBe(false);
    expect(await total(mailOutbox)).toBe(0);
  });
});
