import { and, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, helpChanges, knownProblemSubscriptions, mailOutbox, messages, requests } from '../../db/schema';
import { applyRetention, RETENTION_DEFAULTS } from '../../db/retention.mjs';
import { buildLexicon } from '../../src/lib/search/understand';
import type { Db } from '../../src/lib/server/db';
import {
  callDone,
  closeProblem,
  linkRequests,
  matchingProblems,
  openProblems,
  phoneSubscribers,
  problemFigures,
  problemMatches,
  readContact,
  replyToAll,
  saveProblem,
  subscribe,
  suggestedRequests,
  validateProblem,
} from '../../src/lib/server/known-problems';
import { createRequest } from '../../src/lib/server/requests';
import { addAgent } from '../helpers/agents';
import { freshDatabase } from '../helpers/db';
import { resident, settings } from '../helpers/requests';

let db: Db;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

const NOW = Date.parse('2026-11-25T10:00:00Z');
const lexicon = buildLexicon(
  ['Payer la cantine avec une carte bancaire', 'Inscrire un enfant à l’école', 'Paiement de la facture d’eau', 'Réserver le centre de loisirs'],
  [
    ['payer', 'paiement', 'régler', 'règlement'],
    ['cantine', 'restauration scolaire', 'repas'],
  ],
  4,
);
const values = (fields: Record<string, string>) => ({ get: (name: string) => fields[name] ?? '' });
const canteen = { title: 'Le paiement en ligne de la cantine est indisponible', titleEn: 'Online canteen payment is unavailable', procedure: 'Paiement de la cantine', keywords: 'carte refusée', topic: 'ecole-cantine', meanwhile: 'Payez par chèque à l’accueil.', meanwhileEn: null, expectedOn: '2026-12-01' };
const file = (overrides: Partial<typeof resident> = {}, now = NOW) => createRequest(db, { ...resident, ...overrides }, settings, { now, notify: false });
const authority = { name: 'CC du Val de Brenne', phone: '03 80 00 12 34' };
const helpLink = (locale: 'fr' | 'en') => `https://aide.example.org${locale === 'fr' ? '/' : '/en/'}`;

describe('known problems', () => {
  it('match what residents type: every concept of the procedure, with synonyms, plurals and typos; or one of its other wordings', () => {
    const problem = { procedure: canteen.procedure, keywords: canteen.keywords };
    expect(problemMatches(problem, 'payer la cantine', lexicon)).toBe(true);
    expect(problemMatches(problem, 'Règlement restauration scolaire', lexicon)).toBe(true);
    expect(problemMatches(problem, 'paiemnt cantines', lexicon)).toBe(true);
    expect(problemMatches(problem, 'ma carte refusée', lexicon)).toBe(true);
    // Half the procedure is not the procedure.
    expect(problemMatches(problem, 'inscription à la cantine', lexicon)).toBe(false);
    expect(problemMatches(problem, 'payer la facture d’eau', lexicon)).toBe(false);
    expect(problemMatches(problem, '', lexicon)).toBe(false);
  });

  it('refuse a declaration without its words, with an unknown topic or a wrong day; read email or phone in one field', () => {
    const refused = validateProblem(values({ title: '', procedure: 'x\ny', topic: 'nowhere', expected: '31/02/2027' }), ['ecole-cantine']);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.errors.map((e) => e.field)).toEqual(['title', 'procedure', 'topic', 'expected']);
    const ok = validateProblem(values({ title: canteen.title, procedure: canteen.procedure, topic: 'ecole-cantine', expected: '01/12/2026' }), ['ecole-cantine']);
    expect(ok).toMatchObject({ ok: true, input: { expectedOn: '2026-12-01', topic: 'ecole-cantine', titleEn: null } });
    expect(readContact(' Marie@Example.org ')).toEqual({ email: 'marie@example.org' });
    expect(readContact('06 12 34 56 78')).toEqual({ phone: '0612345678' });
    expect(readContact('marie@')).toEqual({ error: 'problems.errors.email' });
    expect(readContact('demain')).toEqual({ error: 'problems.errors.contact' });
    expect(readContact('')).toEqual({ error: 'problems.errors.contactRequired' });
  });

  it('one answer reaches every linked request (its reply, its mail in its language, its audit entry); closing resolves them and tells the subscribers', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const id = await saveProblem(db, claire, canteen, undefined, NOW);
    expect(id).toBeTypeOf('number');
    const problemId = id as number;
    // Every server is told, with the tag of the pages showing notices.
    expect((await db.select().from(helpChanges)).at(-1)?.tags).toEqual(['known-problems']);
    expect((await matchingProblems(db, 'payer la cantine', lexicon)).map((p) => p.id)).toEqual([problemId]);

    const a = await file({ email: 'a@example.org', procedure: 'Payer la cantine' });
    const b = await file({ email: 'b@example.org', procedure: 'cantine', description: 'Le paiement ne passe pas', locale: 'en' });
    const c = await file({ channel: 'phone', email: undefined, phone: '0612345678', callbackSlots: ['any-time'], procedure: 'Règlement de la cantine' });
    const other = await file({ email: 'd@example.org', procedure: 'Acte de naissance', category: 'documents', description: 'Je ne trouve pas le formulaire' });
    // Suggested: the three canteen payments, not the birth certificate.
    const problem = (await openProblems(db))[0]!;
    expect((await suggestedRequests(db, problem, lexicon)).map((r) => r.reference).sort()).toEqual([a.reference, b.reference, c.reference].sort());

    expect(await linkRequests(db, claire, problemId, [a.reference, b.reference, c.reference, '999999999'], NOW)).toEqual({ linked: [a.reference, b.reference, c.reference], unchanged: [], unknown: ['999999999'] });
    expect(await linkRequests(db, claire, problemId, [a.reference], NOW)).toMatchObject({ linked: [], unchanged: [a.reference] });
    expect((await suggestedRequests(db, problem, lexicon)).map((r) => r.reference)).toEqual([]);

    await subscribe(db, problemId, { email: 'voisin@example.org' }, 'fr', NOW);
    await subscribe(db, problemId, { email: 'voisin@example.org' }, 'fr', NOW); // twice: once
    await subscribe(db, problemId, { email: 'neighbour@example.org' }, 'en', NOW);
    await subscribe(db, problemId, { phone: '0698765432' }, 'fr', NOW);

    await db.delete(mailOutbox);
    const sent = await replyToAll(db, claire, problemId, { body: 'Le paiement remarche demain.', bodyEn: 'Payment works again tomorrow.', status: 'waiting' }, settings, NOW + 1000);
    expect(sent.sent.sort()).toEqual([a.reference, b.reference, c.reference].sort());
    const replies = await db.select({ requestId: messages.requestId, body: messages.body }).from(messages).where(and(eq(messages.author, 'agent'), eq(messages.internal, false)));
    expect(replies).toHaveLength(3);
    expect(replies.find((m) => m.requestId === b.id)?.body).toBe('Payment works again tomorrow.');
    expect(replies.find((m) => m.requestId === a.id)?.body).toBe('Le paiement remarche demain.');
    // Mails to the two with an address (the third gave a phone number), each in its language.
    const mails = await db.select({ to: mailOutbox.toAddress, locale: mailOutbox.locale, text: mailOutbox.textBody }).from(mailOutbox);
    expect(mails.map((m) => m.to).sort()).toEqual(['a@example.org', 'b@example.org']);
    expect(mails.find((m) => m.to === 'b@example.org')).toMatchObject({ locale: 'en' });
    expect(mails.find((m) => m.to === 'b@example.org')?.text).toContain('Payment works again tomorrow.');
    const audit = await db.select({ requestId: auditLog.requestId }).from(auditLog).where(eq(auditLog.action, 'request.reply'));
    expect(audit.map((r) => r.requestId).sort()).toEqual([a.id, b.id, c.id].sort());
    expect((await db.select().from(requests).where(eq(requests.id, other.id)))[0]?.status).toBe('new');

    await db.delete(mailOutbox);
    const closed = await closeProblem(db, claire, problemId, { message: 'C’est réparé.', messageEn: 'It is fixed.', resolveAll: true }, settings, helpLink, authority, NOW + 86_400_000);
    expect(closed).toEqual({ resolved: expect.arrayContaining([a.reference, b.reference, c.reference]), mailed: 2, toCall: 1 });
    const statuses = await db.select({ id: requests.id, status: requests.status }).from(requests);
    expect(statuses.filter((r) => r.id !== other.id).every((r) => r.status === 'resolved')).toBe(true);
    const closingMails = await db.select({ to: mailOutbox.toAddress, subject: mailOutbox.subject, text: mailOutbox.textBody, kind: mailOutbox.kind }).from(mailOutbox);
    const fixed = closingMails.filter((m) => m.kind === 'problem-fixed');
    expect(fixed.map((m) => m.to).sort()).toEqual(['neighbour@example.org', 'voisin@example.org']);
    expect(fixed.find((m) => m.to === 'neighbour@example.org')).toMatchObject({ subject: 'Fixed: Online canteen payment is unavailable' });
    expect(fixed.find((m) => m.to === 'neighbour@example.org')?.text).toContain('It is fixed.');
    expect(fixed.find((m) => m.to === 'voisin@example.org')?.text).toContain('https://aide.example.org/');
    // The addresses are forgotten once mailed; the phone number stays until the call.
    expect((await db.select().from(knownProblemSubscriptions)).map((s) => s.phone)).toEqual(['0698765432']);
    expect(await openProblems(db)).toEqual([]);
    expect(await subscribe(db, problemId, { email: 'late@example.org' }, 'fr', NOW)).toBe(false);
    expect(await linkRequests(db, claire, problemId, [other.reference], NOW)).toBe(false);
    expect(await closeProblem(db, claire, problemId, { message: '', messageEn: null, resolveAll: true }, settings, helpLink, authority, NOW)).toBe(false);
    const [call] = await phoneSubscribers(db, problemId);
    expect(await callDone(db, problemId, call!.id)).toBe(true);
    expect(await db.select().from(knownProblemSubscriptions)).toEqual([]);

    const figures = await problemFigures(db, new Date(NOW - 86_400_000), new Date(NOW + 2 * 86_400_000));
    expect(figures).toMatchObject({ declared: 1, fixed: 1, linked: 3, medianHoursToFix: 24 });
    expect((await db.select().from(auditLog).where(eq(auditLog.action, 'request.problem-link'))).length).toBe(3);
    expect((await db.select().from(auditLog).where(eq(auditLog.action, 'problem.close'))).length).toBe(1);
  });

  it('the retention job forgets the numbers of residents not called a month after the closing', async () => {
    const claire = await addAgent(db, 'claire@example.org');
    const problemId = (await saveProblem(db, claire, canteen, undefined, NOW)) as number;
    await subscribe(db, problemId, { phone: '0698765432' }, 'fr', NOW);
    await closeProblem(db, claire, problemId, { message: '', messageEn: null, resolveAll: false }, settings, helpLink, authority, NOW);
    expect((await applyRetention(db.$client, RETENTION_DEFAULTS, NOW + 29 * 86_400_000)).subscriptions).toBe(0);
    expect(await db.select().from(knownProblemSubscriptions)).toHaveLength(1);
    expect((await applyRetention(db.$client, RETENTION_DEFAULTS, NOW + 31 * 86_400_000)).subscriptions).toBe(1);
    expect(await db.select().from(knownProblemSubscriptions)).toEqual([]);
  });
});
