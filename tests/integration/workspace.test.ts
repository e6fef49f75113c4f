import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, mailOutbox, messages, requests } from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import { addAgentMessage, createRequest, publicConversation } from '../../src/lib/server/requests';
import { ftsQuery, filtersFromQuery, listQueue, nextInQueue, PAGE_SIZE, queueCounts, queueTrail } from '../../src/lib/server/workspace/queue';
import { bulkChange, bulkMerge } from '../../src/lib/server/workspace/bulk';
import { agentRequestView, mergeRequest, newerMessages, otherRequestsOf, touchPresence, updateRequest } from '../../src/lib/server/workspace/requests';
import { loadWorkspaceSettings, saveWorkspaceSetting } from '../../src/lib/server/workspace/settings';
import { simpleHours } from '../../src/lib/server/requests/due';
import { addAgent } from '../helpers/agents';
import { freshDatabase } from '../helpers/db';
import { resident, settings } from '../helpers/requests';

let db: Db;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

const NOW = Date.parse('2026-11-25T10:00:00Z'); // a Wednesday
const file = (overrides: Partial<typeof resident> = {}, now = NOW) => createRequest(db, { ...resident, ...overrides }, settings, { now, notify: false });
const queue = (query: string, agentId: number, now = NOW) => listQueue(db, filtersFromQuery(new URLSearchParams(query)), agentId, now);

describe('queues', () => {
  it('count and list what each queue holds, the soonest due first', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const paul = await addAgent(db, 'paul@example.org');
    const a = await file({ procedure: 'Cantine' }, NOW - 5 * 86_400_000);
    const b = await file({ procedure: 'Crèche', category: 'documents' }, NOW - 86_400_000);
    const c = await file({ procedure: 'Eau', channel: 'phone', phone: '0612345678', email: undefined, callbackSlots: ['any-time'] }, NOW);
    await updateRequest(db, claire, b.id, { assigneeId: claire.id, status: 'open' }, settings, NOW);
    await updateRequest(db, paul, c.id, { status: 'waiting' }, settings, NOW);
    const counts = await queueCounts(db, claire.id, NOW);
    expect(counts).toEqual({ todo: 2, mine: 1, unassigned: 2, new: 1, waiting: 1, overdue: 1, all: 3 });
    const todo = await queue('', claire.id);
    expect(todo.rows.map((r) => r.id)).toEqual([a.id, b.id]);
    expect((await queue('file=overdue', claire.id)).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await queue('file=all&categorie=documents', claire.id)).rows.map((r) => r.id)).toEqual([b.id]);
    expect((await queue('file=all&canal=phone', claire.id)).rows.map((r) => r.id)).toEqual([c.id]);
    expect((await queue(`file=all&agent=${claire.id}`, claire.id)).total).toBe(1);
    expect((await queue('file=all&agent=none', claire.id)).total).toBe(2);
    expect((await queue('file=all&du=2026-11-24', claire.id)).total).toBe(2);
    expect((await queue('file=all&au=2026-11-22', claire.id)).total).toBe(1);
  });

  it('finds requests by the words of a message, the requester’s name, a partial word, without accents', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const a = await file({ description: 'Le paiement de la cantine est refusé.' });
    const b = await file({ procedure: 'Espace famille', description: 'Rien ne marche.', name: 'Émile Zola', email: 'emile@example.org' });
    await addAgentMessage(db, { requestId: b.id, agentName: 'Claire', body: 'Le navigateur Firefox bloque le téléversement.', internal: true }, settings, NOW, false);
    expect((await queue('q=refuse', claire.id)).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await queue('q=cant', claire.id)).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await queue('q=firefox', claire.id)).rows.map((r) => r.id)).toEqual([b.id]);
    expect((await queue('q=emile zola', claire.id)).rows.map((r) => r.id)).toEqual([b.id]);
    expect((await queue('q=emile@example.org', claire.id)).rows.map((r) => r.id)).toEqual([b.id]);
    expect((await queue('q=introuvable', claire.id)).total).toBe(0);
    // A request found by several of its texts is listed and counted once.
    await addAgentMessage(db, { requestId: a.id, agentName: 'Claire', body: 'La cantine a bien reçu le paiement refusé ?', internal: true }, settings, NOW, false);
    const twice = await queue('q=paiement refuse', claire.id);
    expect(twice.rows.map((r) => r.id)).toEqual([a.id]);
    expect(twice.total).toBe(1);
  });

  it('treats search text as words, never as FTS5 syntax', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    await file();
    expect(ftsQuery('a OR b*')).toBe('"a" "OR" "b"*');
    expect(ftsQuery('482-193-650')).toBe('"482193650"*');
    expect(ftsQuery('"; drop table requests; --')).toBe('"drop" "table" "requests"*');
    for (const q of ['"', 'NEAR(a b)', '*', 'a AND', '(((', '^x']) await expect(queue(`q=${encodeURIComponent(q)}`, claire.id)).resolves.toBeDefined();
  });
});

describe('triage', () => {
  it('"send and open the next" finds the request after the current one, whether or not the work took it out of the queue', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const filed = [];
    for (let i = 0; i < PAGE_SIZE + 2; i += 1) filed.push(await file({ procedure: `Démarche ${i}` }, NOW - (100 - i) * 60_000));
    const refs = filed.map((f) => f.reference);
    const oldest = filtersFromQuery(new URLSearchParams('tri=oldest'));
    // Still in the queue (nothing changed): the one after it.
    expect(await nextInQueue(db, oldest, claire.id, refs[0]!, 0, NOW)).toEqual({ reference: refs[1], rank: 1 });
    // Answered, so out of the queue "to do": the one now at its place.
    await updateRequest(db, claire, filed[3]!.id, { status: 'waiting' }, settings, NOW);
    expect(await nextInQueue(db, oldest, claire.id, refs[3]!, 3, NOW)).toEqual({ reference: refs[4], rank: 3 });
    // The last of a page: the first of the next page.
    expect(await nextInQueue(db, oldest, claire.id, refs[PAGE_SIZE]!, PAGE_SIZE - 1, NOW)).toEqual({ reference: refs[PAGE_SIZE + 1], rank: PAGE_SIZE });
    // The last of the queue: none (the agent goes back to it).
    expect(await nextInQueue(db, oldest, claire.id, refs.at(-1)!, PAGE_SIZE, NOW)).toBeUndefined();
    // The trail read from a form: a forged queue address is read as filters, the rank bounded.
    expect(queueTrail((name) => ({ depuis: '?file=all&x=1&statut=nouveau', rang: '-5' })[name])).toEqual({ query: '?file=all', rank: 0 });
    expect(queueTrail((name) => ({ depuis: 'https://evil.example/', rang: '1e99' })[name])).toEqual({ query: '', rank: 1 });
  });

  it('a bulk change saves each request on its own: audit entries, status mails, refusals listed', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const filed = [await file({ email: 'a@example.org' }), await file({ email: 'b@example.org' }), await file({ email: 'c@example.org' })];
    await updateRequest(db, claire, filed[2]!.id, { status: 'closed' }, settings, NOW);
    await db.delete(mailOutbox);
    const result = await bulkChange(db, claire, [...filed.map((f) => f.reference), '999999999'], { status: 'waiting', priority: 'high' }, settings, NOW);
    // The closed one cannot go to "waiting": refused whole, not half-changed.
    expect(result).toEqual({ changed: [filed[0]!.reference, filed[1]!.reference], unchanged: [], refused: [{ reference: '999999999', reason: 'not-found' }, { reference: filed[2]!.reference, reason: 'bad-status' }] });
    const rows = await db.select({ status: requests.status, priority: requests.priority }).from(requests);
    expect(rows).toEqual([{ status: 'waiting', priority: 'high' }, { status: 'waiting', priority: 'high' }, { status: 'closed', priority: 'normal' }]);
    expect((await db.select().from(mailOutbox)).map((m) => m.toAddress).sort()).toEqual(['a@example.org', 'b@example.org']);
    const audit = await db.select({ action: auditLog.action, requestId: auditLog.requestId }).from(auditLog).where(eq(auditLog.action, 'request.status'));
    expect(audit.filter((a) => a.requestId !== filed[2]!.id).map((a) => a.requestId).sort()).toEqual([filed[0]!.id, filed[1]!.id]);

    const merged = await bulkMerge(db, claire, filed.map((f) => f.reference), NOW);
    // Kept: the oldest still open to answers; the others, the closed one too, merged into it.
    expect(merged).toEqual({ into: filed[0]!.reference, changed: [filed[1]!.reference, filed[2]!.reference], unchanged: [filed[0]!.reference], refused: [] });
    // Merged again: nothing left open to keep but the first, and the others are already merged.
    expect(await bulkMerge(db, claire, filed.map((f) => f.reference), NOW)).toMatchObject({ into: filed[0]!.reference, changed: [], refused: [{ reason: 'already-merged' }, { reason: 'already-merged' }] });
    expect(await bulkMerge(db, claire, [filed[0]!.reference], NOW)).toEqual({ error: 'too-few' });
  });

  it('lists the requester’s other requests by email or phone, and no one else’s', async () => {
    const mine = await file({ email: 'marie@example.org' });
    const byPhone = await file({ channel: 'phone', email: undefined, phone: '0612345678', callbackSlots: ['any-time'] });
    const again = await file({ email: 'marie@example.org', phone: '0612345678' });
    await file({ email: 'autre@example.org' });
    const others = await otherRequestsOf(db, again.id, { email: 'marie@example.org', phone: '0612345678' });
    expect(others.map((o) => o.reference)).toEqual([byPhone.reference, mine.reference]);
    expect(await otherRequestsOf(db, mine.id, { email: null, phone: null })).toEqual([]);
  });
});

describe('a request in the workspace', () => {
  it('an internal note never appears in a resident’s page or mail', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const { id, reference } = await createRequest(db, resident, settings, { now: NOW });
    await db.delete(mailOutbox);
    await addAgentMessage(db, { requestId: id, agentId: claire.id, agentName: claire.name, body: 'NOTE-SECRETE', internal: true }, settings, NOW);
    await addAgentMessage(db, { requestId: id, agentId: claire.id, agentName: claire.name, body: 'Voici la réponse.', internal: false }, settings, NOW + 1);
    const outbox = await db.select().from(mailOutbox);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]!.textBody + outbox[0]!.htmlBody).not.toContain('NOTE-SECRETE');
    const conversation = await publicConversation(db, id);
    expect(JSON.stringify(conversation)).not.toContain('NOTE-SECRETE');
    const view = await agentRequestView(db, reference);
    expect(view!.conversation.map((m) => m.body)).toEqual(['NOTE-SECRETE', 'Voici la réponse.']);
  });

  it('the first public answer stops the first-response clock; a call is shown at the link but not mailed', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const { id } = await createRequest(db, resident, settings, { now: NOW });
    await db.delete(mailOutbox);
    await addAgentMessage(db, { requestId: id, agentId: claire.id, agentName: claire.name, body: 'Appel : réglé ensemble.', internal: false, channel: 'phone', status: 'resolved' }, settings, NOW + 3_600_000);
    const [row] = await db.select().from(requests).where(eq(requests.id, id));
    expect(row!.firstResponseAt?.getTime()).toBe(NOW + 3_600_000);
    expect(row!.status).toBe('resolved');
    expect(await db.select().from(mailOutbox)).toHaveLength(0);
    expect((await publicConversation(db, id)).messages[0]).toMatchObject({ channel: 'phone' });
    expect((await db.select({ action: auditLog.action }).from(auditLog)).map((a) => a.action)).toEqual(['request.call', 'request.status']);
  });

  it('changing priority or category moves the deadlines; every change is in the audit log', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const { id } = await file();
    const before = (await db.select().from(requests).where(eq(requests.id, id)))[0]!;
    // Wednesday 10:00 UTC, 2 working days: Friday at 17:00 Paris time.
    expect(before.dueAt.toISOString()).toBe('2026-11-27T16:00:00.000Z');
    const result = await updateRequest(db, claire, id, { priority: 'urgent', category: 'accessibility', assigneeId: claire.id }, settings, NOW);
    expect(result).toEqual({ ok: true, changed: ['priority', 'category', 'assignee'] });
    const after = (await db.select().from(requests).where(eq(requests.id, id)))[0]!;
    expect(after.dueAt.toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(after.assigneeId).toBe(claire.id);
    const audit = await db.select().from(auditLog);
    expect(audit.map((a) => a.action)).toEqual(['request.priority', 'request.category', 'request.assignee']);
    expect(audit[2]!.details).toEqual({ from: null, to: claire.name });
    expect(await updateRequest(db, claire, id, { status: 'open' }, settings, NOW)).toEqual({ ok: true, changed: ['status'] });
    expect(await updateRequest(db, claire, id, { status: 'new' }, settings, NOW)).toEqual({ ok: false, reason: 'bad-status' });
    expect(await updateRequest(db, claire, id, { assigneeId: 12345 }, settings, NOW)).toEqual({ ok: false, reason: 'bad-assignee' });
  });

  it('administrator targets and working hours decide the deadlines of new requests', async () => {
    await saveWorkspaceSetting(db, 'hours', simpleHours([1, 2, 3, 4, 5, 6], '08:00', '12:00'));
    const loaded = await loadWorkspaceSettings(db);
    loaded.targets.categories.payment = { firstResponse: 1, resolution: 3 };
    await saveWorkspaceSetting(db, 'targets', loaded.targets);
    // Friday 14:00 Paris (after closing at noon): counts from Saturday, a working day here.
    const { id } = await file({}, Date.parse('2026-11-27T13:00:00Z'));
    const [row] = await db.select().from(requests).where(eq(requests.id, id));
    expect(row!.dueAt.toISOString()).toBe('2026-11-30T11:00:00.000Z');
    expect(row!.resolutionDueAt!.toISOString()).toBe('2026-12-02T11:00:00.000Z');
  });

  it('an accessibility barrier is answered within seven days whatever the targets say', async () => {
    const loaded = await loadWorkspaceSettings(db);
    loaded.targets.categories.accessibility = { firstResponse: 30, resolution: 40 };
    await saveWorkspaceSetting(db, 'targets', loaded.targets);
    const { id } = await file({ category: 'accessibility' });
    const [row] = await db.select().from(requests).where(eq(requests.id, id));
    expect(row!.dueAt.getTime()).toBe(NOW + 7 * 86_400_000);
  });

  it('merging closes the duplicate, tells its resident where the answer will come, and copies nothing', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const keep = await file({ description: 'Original' });
    const duplicate = await file({ description: 'Doublon privé' });
    expect(await mergeRequest(db, claire, duplicate.id, duplicate.reference)).toEqual({ ok: false, reason: 'same' });
    expect(await mergeRequest(db, claire, duplicate.id, '000000000')).toEqual({ ok: false, reason: 'not-found' });
    expect(await mergeRequest(db, claire, duplicate.id, keep.reference)).toEqual({ ok: true, into: keep.reference });
    expect(await mergeRequest(db, claire, duplicate.id, keep.reference)).toEqual({ ok: false, reason: 'already-merged' });
    const [closed] = await db.select().from(requests).where(eq(requests.id, duplicate.id));
    expect(closed).toMatchObject({ status: 'closed', mergedIntoId: keep.id });
    expect((await publicConversation(db, duplicate.id)).messages.map((m) => m.body)).toEqual([`merged:${keep.reference}`]);
    expect(JSON.stringify(await publicConversation(db, keep.id))).not.toContain('Doublon');
    const kept = await agentRequestView(db, keep.reference);
    expect(kept!.mergedHere).toEqual([duplicate.reference]);
    expect(kept!.conversation.every((m) => m.internal)).toBe(true);
  });

  it('warns of another agent on the same request, and of messages written since the page was opened', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const paul = await addAgent(db, 'paul@example.org');
    const { id, reference } = await file();
    expect(await touchPresence(db, id, claire.id, NOW)).toEqual([]);
    expect((await touchPresence(db, id, paul.id, NOW + 60_000)).map((o) => o.name)).toEqual(['claire']);
    expect(await touchPresence(db, id, paul.id, NOW + 20 * 60_000)).toEqual([]);
    const seen = (await agentRequestView(db, reference))!.lastMessageId;
    await addAgentMessage(db, { requestId: id, agentId: paul.id, agentName: paul.name, body: 'Je m’en occupe.', internal: true }, settings, NOW, false);
    expect(await newerMessages(db, id, seen, claire.id)).toBe(1);
    expect(await newerMessages(db, id, seen, paul.id)).toBe(0);
    expect((await db.select().from(messages)).length).toBe(1);
  });
});

describe('categories offered to residents', () => {
  it('an administrator withdraws or rewords a category; accessibility and other are always offered', async () => {
    const { validateStep, formValues } = await import('../../src/lib/request-form');
    const { offeredCategories, residentCategoryLabel } = await import('../../src/lib/server/workspace/settings');
    const loaded = await loadWorkspaceSettings(db);
    loaded.categories['no-device'] = { offered: false, fr: null, en: null };
    loaded.categories.accessibility = { offered: false, fr: null, en: null };
    loaded.categories.documents = { offered: true, fr: 'Un justificatif ne passe pas', en: null };
    await saveWorkspaceSetting(db, 'categories', loaded.categories);
    const settingsNow = await loadWorkspaceSettings(db);
    const offered = offeredCategories(settingsNow);
    expect(offered).not.toContain('no-device');
    expect(offered).toContain('accessibility');
    expect(residentCategoryLabel(settingsNow, 'documents', 'fr', 'défaut')).toBe('Un justificatif ne passe pas');
    expect(residentCategoryLabel(settingsNow, 'documents', 'en', 'default')).toBe('default');
    const form = new FormData();
    form.set('procedure', 'Payer la cantine');
    form.set('category', 'no-device');
    expect(validateStep('procedure', formValues(form), {}, [], offered)).toMatchObject({ ok: false, errors: [{ field: 'category' }] });
    form.set('category', 'documents');
    expect(validateStep('procedure', formValues(form), {}, [], offered)).toMatchObject({ ok: true });
  });
});
