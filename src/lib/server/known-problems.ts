/**
 * Known problems ("Online canteen payment is unavailable"): declared by an agent on a
 * procedure, shown to residents while open (home, the topic's pages, the request form when the
 * procedure typed matches) with what to do meanwhile and a one-step subscription; the requests
 * it caused are linked to it, one answer reaches them all (each at its private link and by mail,
 * in the resident's language, audit-logged per request), and closing it can resolve them all and
 * tells the subscribers. A change is told to every server like an announcement (the cached help
 * pages showing notices are dropped).
 */
import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import { helpChanges, KNOWN_PROBLEM_LIMITS, knownProblemRequests, knownProblems, knownProblemSubscriptions, requesters, requests } from '../../../db/schema';
import type { Locale } from '../../i18n/routes';
import { hasControlCharacters, isValidEmail, isValidPhone, normalizePhone, singleLineProblem } from '../request-form';
import { checkedText, type FieldProblem } from './form-text';
import { type Lexicon, understand, words } from '../search/understand';
import { type Actor, recordAudit } from './audit';
import type { Db } from './db';
import { KNOWN_PROBLEMS_TAG } from './help/change-tags';
import { knownProblemFixedMail } from './mail/templates';
import { enqueueMail } from './mail/outbox';
import { changeStatus, type RequestSettings } from './requests';
import { readDay } from './announcements';
import { saveRequest } from './workspace/requests';

export { KNOWN_PROBLEMS_TAG };

export type KnownProblem = typeof knownProblems.$inferSelect;
export interface ProblemInput {
  title: string;
  titleEn: string | null;
  procedure: string;
  keywords: string;
  topic: string | null;
  meanwhile: string;
  meanwhileEn: string | null;
  expectedOn: string | null;
}

type Values = { get(name: string): string };
type Problem = FieldProblem;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** The declaration form, checked against the topics that exist. */
export function validateProblem(values: Values, topicSlugs: string[]): { ok: true; input: ProblemInput } | { ok: false; errors: Problem[] } {
  const errors: Problem[] = [];
  const L = KNOWN_PROBLEM_LIMITS;
  const title = checkedText(values, errors, 'title', L.title, { required: 'agent.problems.errors.titleRequired' });
  const titleEn = checkedText(values, errors, 'titleEn', L.title);
  const procedure = checkedText(values, errors, 'procedure', L.procedure, { required: 'agent.problems.errors.procedureRequired' });
  const keywords = checkedText(values, errors, 'keywords', L.keywords);
  const meanwhile = checkedText(values, errors, 'meanwhile', L.meanwhile, { multiline: true });
  const meanwhileEn = checkedText(values, errors, 'meanwhileEn', L.meanwhile, { multiline: true });
  const topic = values.get('topic').trim();
  if (topic && !topicSlugs.includes(topic)) errors.push({ field: 'topic', message: 'agent.problems.errors.topic' });
  const typedDay = values.get('expected').trim();
  const expectedOn = typedDay ? readDay(typedDay) : null;
  if (expectedOn === undefined) errors.push({ field: 'expected', message: 'agent.announcements.errors.day' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, input: { title, titleEn: titleEn || null, procedure, keywords, topic: topic || null, meanwhile, meanwhileEn: meanwhileEn || null, expectedOn: expectedOn ?? null } };
}

/** Every server drops its cached pages that show notices (the help changes' channel). */
const tellServers = (tx: Tx, now: number) => tx.insert(helpChanges).values({ entryId: null, tags: [KNOWN_PROBLEMS_TAG], at: new Date(now) });

/** Declares (no `id`) or rewords a problem; audit-logged; false when `id` does not exist. */
export async function saveProblem(db: Db, actor: Actor, input: ProblemInput, id?: number, now: number = Date.now()): Promise<number | false> {
  return db.transaction(async (tx) => {
    const at = new Date(now);
    const [row] =
      id === undefined
        ? await tx.insert(knownProblems).values({ ...input, status: 'open', openedAt: at, updatedAt: at, createdBy: actor.id }).returning({ id: knownProblems.id })
        : await tx.update(knownProblems).set({ ...input, updatedAt: at }).where(eq(knownProblems.id, id)).returning({ id: knownProblems.id });
    if (!row) return false;
    await recordAudit(tx, actor, id === undefined ? 'problem.declare' : 'problem.update', { now, details: { id: row.id, title: input.title } });
    await tellServers(tx, now);
    return row.id;
  });
}

export const findProblem = async (db: Db, id: number) => (await db.select().from(knownProblems).where(eq(knownProblems.id, id)))[0];

/** Open problems, the latest first. */
export const openProblems = (db: Db) => db.select().from(knownProblems).where(eq(knownProblems.status, 'open')).orderBy(desc(knownProblems.openedAt), desc(knownProblems.id));

/** Every problem for the workspace's list: open ones first, then the latest closed. */
export async function allProblems(db: Db) {
  const linked = db.select({ problemId: knownProblemRequests.problemId, n: count().as('n') }).from(knownProblemRequests).groupBy(knownProblemRequests.problemId).as('linked');
  const subscribed = db.select({ problemId: knownProblemSubscriptions.problemId, n: count().as('s') }).from(knownProblemSubscriptions).groupBy(knownProblemSubscriptions.problemId).as('subscribed');
  return db
    .select({ problem: knownProblems, linked: sql<number>`coalesce(${linked.n}, 0)`, subscribers: sql<number>`coalesce(${subscribed.n}, 0)` })
    .from(knownProblems)
    .leftJoin(linked, eq(linked.problemId, knownProblems.id))
    .leftJoin(subscribed, eq(subscribed.problemId, knownProblems.id))
    .orderBy(desc(sql`${knownProblems.status} = 'open'`), desc(knownProblems.openedAt))
    .limit(200);
}

/** Problems closed in the last `days` days (residents see that they were fixed). */
export const recentlyClosedProblems = (db: Db, now: number = Date.now(), days = 14) =>
  db
    .select()
    .from(knownProblems)
    .where(and(eq(knownProblems.status, 'closed'), gte(knownProblems.closedAt, new Date(now - days * 86_400_000))))
    .orderBy(desc(knownProblems.closedAt));

/** The wording residents read in a language: English when written, the French otherwise (its language said). */
export function problemText(problem: Pick<KnownProblem, 'title' | 'titleEn' | 'meanwhile' | 'meanwhileEn'>, locale: Locale): { title: string; meanwhile: string; lang?: 'fr' } {
  if (locale === 'en' && problem.titleEn) return { title: problem.titleEn, meanwhile: problem.meanwhileEn ?? problem.meanwhile };
  return { title: problem.title, meanwhile: problem.meanwhile, ...(locale === 'en' ? { lang: 'fr' as const } : {}) };
}

/**
 * The concepts of a text as the residents' search reads it (accents, typos, synonyms): each
 * the list of its equivalent words.
 */
function concepts(text: string, lexicon: Lexicon): string[][] {
  return understand(text, lexicon, { exact: false }).concepts.map((c) => [...new Set(c.alternatives.flatMap((a) => [words(a).join(' '), ...words(a)]))]);
}

const sameWord = (a: string, b: string) => a === b || (Math.min(a.length, b.length) >= 5 && (a.startsWith(b) || b.startsWith(a)));

/**
 * Whether what a resident typed names this problem's procedure: every concept of the
 * procedure (or of one of its other wordings) is in the text, in any of its forms. `text` (a
 * procedure as typed) is read the way the search reads it, typos corrected; `more` (a
 * description) only word by word, far cheaper over two thousand requests. The problem's own
 * concepts are read once, and each distinct text once.
 */
export function problemMatcher(problem: Pick<KnownProblem, 'procedure' | 'keywords'>, lexicon: Lexicon): (text: string, more?: string) => boolean {
  const wordings = [problem.procedure, ...problem.keywords.split(',')]
    .map((w) => w.trim())
    .filter(Boolean)
    .map((wording) => concepts(wording, lexicon))
    .filter((needed) => needed.length > 0);
  const read = new Map<string, string[]>();
  return (text, more = '') => {
    let typed = read.get(text);
    if (!typed) read.set(text, (typed = concepts(text.slice(0, 2000), lexicon).flat()));
    const all = more ? [...typed, ...new Set(words(more.slice(0, 2000)))] : typed;
    return all.length > 0 && wordings.some((needed) => needed.every((alternatives) => alternatives.some((a) => all.some((w) => sameWord(w, a)))));
  };
}

export const problemMatches = (problem: Pick<KnownProblem, 'procedure' | 'keywords'>, text: string, lexicon: Lexicon, more?: string) => problemMatcher(problem, lexicon)(text, more);

/** The open problems whose procedure `text` names. */
export async function matchingProblems(db: Db, text: string, lexicon: Lexicon): Promise<KnownProblem[]> {
  if (!text.trim()) return [];
  return (await openProblems(db)).filter((p) => problemMatcher(p, lexicon)(text));
}

/** The problems of a topic (its topic page, and its FAQ entries and tutorials). */
export const problemsOfTopic = (problems: KnownProblem[], topic: string | undefined) => (topic ? problems.filter((p) => p.topic === topic) : []);

/** "E-mail or phone" in one field: which one it is, normalised, or why it is refused. */
export function readContact(value: string): { email: string } | { phone: string } | { error: string } {
  const typed = value.trim();
  if (!typed) return { error: 'problems.errors.contactRequired' };
  if (hasControlCharacters(typed) || singleLineProblem(typed)) return { error: 'problems.errors.contact' };
  if (typed.includes('@')) return isValidEmail(typed) ? { email: typed.toLowerCase() } : { error: 'problems.errors.email' };
  return isValidPhone(typed) ? { phone: normalizePhone(typed) } : { error: 'problems.errors.contact' };
}

/** A resident asks to be told when it is fixed; asking twice changes nothing. False when the problem is not open. */
export async function subscribe(db: Db, problemId: number, contact: { email: string } | { phone: string }, locale: Locale, now: number = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [problem] = await tx.select({ status: knownProblems.status }).from(knownProblems).where(eq(knownProblems.id, problemId));
    if (!problem || problem.status !== 'open') return false;
    await tx
      .insert(knownProblemSubscriptions)
      .values({ problemId, email: 'email' in contact ? contact.email : null, phone: 'phone' in contact ? contact.phone : null, locale, createdAt: new Date(now) })
      .onConflictDoNothing();
    return true;
  });
}

/** The requests linked to a problem, the latest first. */
export async function linkedRequests(db: Db, problemId: number) {
  return db
    .select({ id: requests.id, reference: requests.reference, status: requests.status, procedure: requests.procedure, locale: requests.locale, name: requesters.name, createdAt: requests.createdAt, updatedAt: requests.updatedAt })
    .from(knownProblemRequests)
    .innerJoin(requests, eq(requests.id, knownProblemRequests.requestId))
    .innerJoin(requesters, eq(requesters.id, requests.requesterId))
    .where(eq(knownProblemRequests.problemId, problemId))
    .orderBy(desc(requests.createdAt));
}

/**
 * For a request's page, in one query: the problems it is linked to (open or not), and the open
 * problems it could be linked to.
 */
export async function problemsForRequest(db: Db, requestId: number) {
  const rows = await db
    .select({ problem: knownProblems, linked: sql<number>`${knownProblemRequests.requestId} is not null` })
    .from(knownProblems)
    .leftJoin(knownProblemRequests, and(eq(knownProblemRequests.problemId, knownProblems.id), eq(knownProblemRequests.requestId, requestId)))
    .where(or(eq(knownProblems.status, 'open'), isNotNull(knownProblemRequests.requestId)))
    .orderBy(desc(knownProblems.openedAt));
  return { linked: rows.filter((r) => r.linked).map((r) => r.problem), open: rows.filter((r) => !r.linked).map((r) => r.problem) };
}

/** At most this many requests are read when looking for those a problem may have caused. */
const SUGGESTION_SCAN = 2000;
/** Requests filed this long before the declaration may be the first reports of it. */
const SUGGESTION_LOOKBACK_MS = 14 * 86_400_000;

/**
 * Requests still to answer that the problem may have caused and that are not linked yet: filed
 * from two weeks before its declaration, their procedure (or the start of their description)
 * naming the problem's procedure.
 */
export async function suggestedRequests(db: Db, problem: KnownProblem, lexicon: Lexicon, limit = 50) {
  const already = db.select({ id: knownProblemRequests.requestId }).from(knownProblemRequests).where(eq(knownProblemRequests.problemId, problem.id));
  const rows = await db
    .select({ id: requests.id, reference: requests.reference, status: requests.status, procedure: requests.procedure, description: sql<string>`substr(${requests.description}, 1, 300)`, name: requesters.name, createdAt: requests.createdAt })
    .from(requests)
    .innerJoin(requesters, eq(requesters.id, requests.requesterId))
    .where(
      and(
        gte(requests.createdAt, new Date(problem.openedAt.getTime() - SUGGESTION_LOOKBACK_MS)),
        inArray(requests.status, ['new', 'open', 'waiting']),
        isNull(requests.mergedIntoId),
        notInArray(requests.id, already),
      ),
    )
    .orderBy(desc(requests.createdAt))
    .limit(SUGGESTION_SCAN);
  const matches = problemMatcher(problem, lexicon);
  return rows.filter((r) => matches(r.procedure, r.description)).slice(0, limit);
}

export interface LinkResult {
  linked: string[];
  /** Already linked, or unknown references. */
  unchanged: string[];
  unknown: string[];
}

/** Links requests (by reference) to an open problem; each link is audit-logged on its request. */
export async function linkRequests(db: Db, actor: Actor, problemId: number, references: string[], now: number = Date.now()): Promise<LinkResult | false> {
  return db.transaction(async (tx) => {
    const [problem] = await tx.select({ title: knownProblems.title, status: knownProblems.status }).from(knownProblems).where(eq(knownProblems.id, problemId));
    if (!problem || problem.status !== 'open') return false;
    const found = references.length > 0 ? await tx.select({ id: requests.id, reference: requests.reference }).from(requests).where(inArray(requests.reference, references)) : [];
    const result: LinkResult = { linked: [], unchanged: [], unknown: references.filter((r) => !found.some((f) => f.reference === r)) };
    // In the order given (ticked, then typed).
    const ordered = references.flatMap((reference) => found.filter((f) => f.reference === reference));
    for (const request of ordered) {
      const [added] = await tx.insert(knownProblemRequests).values({ problemId, requestId: request.id, linkedAt: new Date(now), linkedBy: actor.id }).onConflictDoNothing().returning({ id: knownProblemRequests.requestId });
      if (!added) {
        result.unchanged.push(request.reference);
        continue;
      }
      result.linked.push(request.reference);
      await recordAudit(tx, actor, 'request.problem-link', { requestId: request.id, now, details: { problem: problemId, title: problem.title } });
    }
    return result;
  });
}

/** Removes one request from a problem (linked by mistake); audit-logged. */
export async function unlinkRequest(db: Db, actor: Actor, problemId: number, reference: string, now: number = Date.now()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [request] = await tx.select({ id: requests.id }).from(requests).where(eq(requests.reference, reference));
    if (!request) return false;
    const removed = await tx.delete(knownProblemRequests).where(and(eq(knownProblemRequests.problemId, problemId), eq(knownProblemRequests.requestId, request.id))).returning({ id: knownProblemRequests.requestId });
    if (removed.length === 0) return false;
    await recordAudit(tx, actor, 'request.problem-unlink', { requestId: request.id, now, details: { problem: problemId } });
    return true;
  });
}

export interface GroupReply {
  body: string;
  /** The same answer in English, for the requests made in English (the French otherwise). */
  bodyEn: string | null;
  /** The status the requests move to with it (by default, waiting for the resident). */
  status: 'open' | 'waiting' | 'resolved';
}

/**
 * One answer to every linked request still open to answers: each gets it as a reply of its own
 * (its conversation, its private link, its mail in its language, its audit entry), exactly as
 * if the agent had written it there.
 */
export async function replyToAll(db: Db, actor: Actor & { id: number; name: string }, problemId: number, reply: GroupReply, settings: RequestSettings, now: number = Date.now()): Promise<{ sent: string[]; skipped: string[] }> {
  const linked = await linkedRequests(db, problemId);
  const result = { sent: [] as string[], skipped: [] as string[] };
  for (const request of linked) {
    if (request.status === 'closed') {
      result.skipped.push(request.reference);
      continue;
    }
    const body = request.locale === 'en' && reply.bodyEn ? reply.bodyEn : reply.body;
    const saved = await saveRequest(db, actor, request.id, { changes: { status: reply.status }, message: { body, internal: false, channel: 'web' } }, settings, now);
    (saved.ok ? result.sent : result.skipped).push(request.reference);
  }
  return result;
}

export interface Closing {
  /** Told to the subscribers and, with `resolveAll`, written on each linked request. */
  message: string;
  messageEn: string | null;
  resolveAll: boolean;
}

/**
 * Closes a problem: with `resolveAll`, every linked request still open becomes resolved (with
 * the closing message as a reply when there is one, else with a status mail); the subscribers
 * with an email are mailed and forgotten; those with a phone stay listed for a call.
 */
export async function closeProblem(
  db: Db,
  actor: Actor & { id: number; name: string },
  problemId: number,
  closing: Closing,
  settings: RequestSettings,
  helpLink: (locale: Locale) => string,
  authority: { name: string; phone: string },
  now: number = Date.now(),
): Promise<{ resolved: string[]; mailed: number; toCall: number } | false> {
  const problem = await findProblem(db, problemId);
  if (!problem || problem.status !== 'open') return false;
  const resolved: string[] = [];
  if (closing.resolveAll) {
    for (const request of await linkedRequests(db, problemId)) {
      if (request.status === 'resolved' || request.status === 'closed') continue;
      const body = request.locale === 'en' && closing.messageEn ? closing.messageEn : closing.message;
      const done = body
        ? (await saveRequest(db, actor, request.id, { changes: { status: 'resolved' }, message: { body, internal: false, channel: 'web' } }, settings, now)).ok
        : await changeStatus(db, request.id, 'resolved', actor.name, settings, now, true, actor.id);
      if (done) resolved.push(request.reference);
    }
  }
  return db.transaction(async (tx) => {
    const [closed] = await tx
      .update(knownProblems)
      .set({ status: 'closed', closedAt: new Date(now), updatedAt: new Date(now) })
      .where(and(eq(knownProblems.id, problemId), eq(knownProblems.status, 'open')))
      .returning({ id: knownProblems.id });
    if (!closed) return false;
    const subscribers = await tx.select().from(knownProblemSubscriptions).where(eq(knownProblemSubscriptions.problemId, problemId));
    let mailed = 0;
    for (const s of subscribers.filter((s) => s.email)) {
      const text = problemText(problem, s.locale);
      const message = s.locale === 'en' && closing.messageEn ? closing.messageEn : closing.message;
      await enqueueMail(tx, { ...knownProblemFixedMail(s.locale, { title: text.title, message, helpLink: helpLink(s.locale), authority }), to: s.email!, kind: 'problem-fixed', locale: s.locale }, now);
      mailed += 1;
    }
    await tx.delete(knownProblemSubscriptions).where(and(eq(knownProblemSubscriptions.problemId, problemId), isNotNull(knownProblemSubscriptions.email)));
    const toCall = subscribers.length - mailed;
    await recordAudit(tx, actor, 'problem.close', { now, details: { id: problemId, title: problem.title, requests: resolved.length, subscribers: mailed + toCall } });
    await tellServers(tx, now);
    return { resolved, mailed, toCall };
  });
}

/** How many residents are waiting to be told (or, once it is closed, to be called). */
export async function subscriberCount(db: Db, problemId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(knownProblemSubscriptions).where(eq(knownProblemSubscriptions.problemId, problemId));
  return row?.n ?? 0;
}

/** The residents to call back now that a problem is fixed (their number only). */
export const phoneSubscribers = (db: Db, problemId: number) =>
  db.select({ id: knownProblemSubscriptions.id, phone: knownProblemSubscriptions.phone, locale: knownProblemSubscriptions.locale }).from(knownProblemSubscriptions).where(and(eq(knownProblemSubscriptions.problemId, problemId), isNotNull(knownProblemSubscriptions.phone))).orderBy(asc(knownProblemSubscriptions.id));

/** A resident was called: their number is erased. Only once the problem is closed (else the retention job does it a month later: db/retention.mjs). */
export async function callDone(db: Db, problemId: number, subscriptionId: number): Promise<boolean> {
  const [problem] = await db.select({ status: knownProblems.status }).from(knownProblems).where(eq(knownProblems.id, problemId));
  if (problem?.status !== 'closed') return false;
  const removed = await db.delete(knownProblemSubscriptions).where(and(eq(knownProblemSubscriptions.id, subscriptionId), eq(knownProblemSubscriptions.problemId, problemId))).returning({ id: knownProblemSubscriptions.id });
  return removed.length > 0;
}

/** For the reports: problems declared in a period, those fixed, the requests linked, the median time to fix. */
export async function problemFigures(db: Db, from: Date, to: Date) {
  const declared = await db
    .select({ id: knownProblems.id, openedAt: knownProblems.openedAt, closedAt: knownProblems.closedAt, title: knownProblems.title })
    .from(knownProblems)
    .where(and(gte(knownProblems.openedAt, from), lt(knownProblems.openedAt, to)))
    .orderBy(asc(knownProblems.openedAt));
  const ids = declared.map((p) => p.id);
  const links = ids.length > 0 ? await db.select({ problemId: knownProblemRequests.problemId, n: count() }).from(knownProblemRequests).where(inArray(knownProblemRequests.problemId, ids)).groupBy(knownProblemRequests.problemId) : [];
  const fixHours = declared.filter((p) => p.closedAt).map((p) => (p.closedAt!.getTime() - p.openedAt.getTime()) / 3_600_000).sort((a, b) => a - b);
  const median = fixHours.length === 0 ? null : fixHours.length % 2 ? fixHours[(fixHours.length - 1) / 2]! : (fixHours[fixHours.length / 2 - 1]! + fixHours[fixHours.length / 2]!) / 2;
  return {
    declared: declared.length,
    fixed: fixHours.length,
    linked: links.reduce((sum, l) => sum + l.n, 0),
    medianHoursToFix: median,
    problems: declared.map((p) => ({ ...p, linked: links.find((l) => l.problemId === p.id)?.n ?? 0 })),
  };
}
