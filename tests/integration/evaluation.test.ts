import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { helpEntries, mailOutbox, requests, satisfaction, searchMisses, surveyAnswers } from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import { recordFeedback, addFeedbackComment } from '../../src/lib/server/feedback';
import { addAgentMessage, addRequesterReply, changeStatus, closeByRequester, createRequest, type NewRequest } from '../../src/lib/server/requests';
import { periodFromQuery } from '../../src/lib/server/evaluation/period';
import { buildReport, rankArticles, usefulnessAroundLastChange } from '../../src/lib/server/evaluation/reports';
import { answerSatisfaction, completeSatisfaction } from '../../src/lib/server/evaluation/satisfaction';
import { acceptableQuery, normalizeQuery, recordSearchMiss, SEARCH_MISS_RATE_LIMIT } from '../../src/lib/server/evaluation/search-misses';
import { changeSurveyStatus, checkAnswers, createSurvey, findSurvey, moveQuestion, saveQuestion, submitSurveyResponse, surveyResponseRows, surveyResults } from '../../src/lib/server/evaluation/surveys';
import { reportTables, tableCsv } from '../../src/lib/server/evaluation/tables';
import { recordQuickAnswer } from '../../src/lib/server/workspace/intake';
import { INTAKE_CHANNELS } from '../../db/values';
import { useTranslations } from '../../src/i18n';
import { mergeRequest } from '../../src/lib/server/workspace/requests';
import { helpLinks } from '../../src/lib/server/requests/help-links';
import { DEFAULT_OBJECTIVES } from '../../src/lib/server/workspace/settings';
import { addAgent } from '../helpers/agents';
import { freshDatabase } from '../helpers/db';
import { generator } from '../helpers/random';
import { resident, settings } from '../helpers/requests';

let db: Db;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-25T10:00:00Z'); // a Wednesday

describe('report periods', () => {
  it('run from Paris midnight to Paris midnight, and compare with as many days just before', () => {
    const p = periodFromQuery(new URLSearchParams('periode=30j'), new Date(NOW));
    expect([p.firstDay, p.lastDay, p.previousFirstDay, p.previousLastDay]).toEqual(['2026-10-27', '2026-11-25', '2026-09-27', '2026-10-26']);
    expect(p.current.from.toISOString()).toBe('2026-10-26T23:00:00.000Z'); // winter time
    expect(p.current.to.toISOString()).toBe('2026-11-25T23:00:00.000Z');
    expect(p.previous.from.toISOString()).toBe('2026-09-26T22:00:00.000Z'); // summer time
    const month = periodFromQuery(new URLSearchParams('periode=mois-precedent'), new Date(NOW));
    expect([month.firstDay, month.lastDay, month.previousFirstDay]).toEqual(['2026-10-01', '2026-10-31', '2026-08-31']);
    const custom = periodFromQuery(new URLSearchParams('periode=perso&du=2026-03-01&au=2026-03-31'), new Date(NOW));
    expect([custom.preset, custom.firstDay, custom.lastDay]).toEqual(['perso', '2026-03-01', '2026-03-31']);
  });

  it('refuse impossible dates with a message per field, and answer for the default period meanwhile', () => {
    const bad = periodFromQuery(new URLSearchParams('periode=perso&du=2026-02-30&au=hier'), new Date(NOW));
    expect(bad.errors).toEqual([{ field: 'du', message: 'reports.errors.badDate' }, { field: 'au', message: 'reports.errors.badDate' }]);
    expect(bad.typed).toEqual({ du: '2026-02-30', au: 'hier' });
    expect(bad.firstDay).toBe('2026-10-27');
    expect(periodFromQuery(new URLSearchParams('periode=perso&du=2026-05-02&au=2026-05-01'), new Date(NOW)).errors[0]?.message).toBe('reports.errors.endBeforeStart');
    expect(periodFromQuery(new URLSearchParams('periode=perso&du=2020-01-01&au=2026-05-01'), new Date(NOW)).errors[0]?.message).toBe('reports.errors.tooLong');
    expect(periodFromQuery(new URLSearchParams('periode=perso&au=2026-05-01'), new Date(NOW)).errors[0]).toEqual({ field: 'du', message: 'reports.errors.dateRequired' });
  });
});


/** Nearest-rank percentile, written out again here rather than imported. */
const rank = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.ceil((p * sorted.length) / 100) - 1]!;
};

describe('reports', () => {
  it('count what a seeded dataset holds, as computed independently here', async () => {
    const agent = await addAgent(db, 'claire@example.org');
    const { random, pick } = generator(7);
    const period = periodFromQuery(new URLSearchParams('periode=30j'), new Date(NOW));
    const start = period.previous.from.getTime() - 5 * DAY;
    const categories = ['sign-in', 'payment', 'documents', 'accessibility'] as const;
    const procedures = ['Payer la cantine', 'payer la cantine ', 'Espace famille', 'Crèche', 'Eau'];
    interface Made { id: number; linked?: boolean; created: number; category: string; channel: string; intake: string; kind: string; procedure: string; firstResponse?: number; resolved?: number; merged?: boolean; satisfaction?: { level: string; at: number; clarity?: number } }
    const made: Made[] = [];
    // How each request arrived: a generator of its own, so that the rest of the dataset stays the same.
    const arrival = generator(11);
    // Requests on the period's edges are counted on the right side of them.
    const edges = [period.current.from.getTime(), period.current.from.getTime() - 1, period.current.to.getTime() - 1, period.previous.from.getTime()];
    for (let i = 0; i < 140; i += 1) {
      const created = i < edges.length ? edges[i]! : start + Math.floor(random() * (NOW - start - HOUR));
      const kind = pick(['resident', 'resident', 'helper', 'staff'] as const);
      const channel = pick(['email', 'email', 'phone', 'in-person'] as const);
      const input: NewRequest = {
        ...resident,
        category: pick(categories),
        procedure: pick(procedures),
        who: kind,
        helperName: kind === 'helper' ? 'Nadia' : undefined,
        personAgreed: kind === 'helper' ? true : undefined,
        staffService: kind === 'staff' ? 'Enfance' : undefined,
        channel,
        phone: channel === 'phone' ? '0612345678' : undefined,
        callbackSlots: channel === 'phone' ? ['any-time'] : [],
        helpPlace: channel === 'in-person' ? 'mairie-brenne' : undefined,
        intake: arrival.pick(['web', 'web', 'web', 'phone', 'phone', 'counter', 'letter', 'email', 'partner'] as const),
      };
      const { id } = await createRequest(db, input, settings, { now: created, notify: false });
      const m: Made = { id, created, category: input.category, channel, intake: input.intake!, kind, procedure: input.procedure.trim().toLowerCase() };
      made.push(m);
      if (random() < 0.75) {
        m.firstResponse = Math.min(created + Math.floor(random() * 6 * DAY), NOW - 1);
        m.linked = random() < 0.5;
        await addAgentMessage(db, { requestId: id, agentId: agent.id, agentName: agent.name, body: m.linked ? `Voyez https://aide.example.org/faq/carte-refusee/ et https://aide.example.org/faq/carte-refusee/ (pas https://ailleurs.example/faq/autre/)` : 'Nous regardons.', internal: false, status: 'waiting' }, settings, m.firstResponse, false);
        if (random() < 0.7) {
          m.resolved = Math.min(m.firstResponse + Math.floor(random() * 8 * DAY), NOW - 1);
          await changeStatus(db, id, 'resolved', agent.name, settings, m.resolved, false);
          if (random() < 0.3) {
            // Reopened by the resident, then resolved again: the last resolution counts.
            await addRequesterReply(db, id, 'Toujours bloqué.', [], m.resolved + 1);
            m.resolved = Math.min(m.resolved + 2 * HOUR, NOW - 1);
            await changeStatus(db, id, 'resolved', agent.name, settings, m.resolved, false);
          }
          if (random() < 0.3) await changeStatus(db, id, 'closed', agent.name, settings, Math.min(m.resolved + HOUR, NOW - 1), false); // still resolved at m.resolved
          if (random() < 0.7) {
            const level = pick(['good', 'good', 'average', 'bad'] as const);
            const at = Math.min(m.resolved + Math.floor(random() * 2 * DAY), NOW - 1);
            await answerSatisfaction(db, id, level, 'fr', at);
            m.satisfaction = { level, at };
            if (random() < 0.6) {
              m.satisfaction.clarity = 1 + Math.floor(random() * 5);
              await completeSatisfaction(db, id, { clarity: m.satisfaction.clarity, comment: '' }, at);
            }
          }
        }
      }
    }
    // Residents who solved it themselves, closing before any answer: resolved, and in time.
    for (let i = 0; i < 6; i += 1) {
      const created = period.current.from.getTime() + (3 + i) * DAY;
      const { id } = await createRequest(db, resident, settings, { now: created, notify: false });
      await closeByRequester(db, id, created + 2 * HOUR);
      made.push({ id, created, category: resident.category, channel: 'email', intake: 'web', kind: 'resident', procedure: resident.procedure.toLowerCase(), resolved: created + 2 * HOUR });
    }
    // Duplicates merged into another request never count, wherever they would have.
    const kept = await createRequest(db, { ...resident, procedure: 'Espace famille' }, settings, { now: period.current.from.getTime() + DAY, notify: false });
    made.push({ id: kept.id, created: period.current.from.getTime() + DAY, category: resident.category, channel: 'email', intake: 'web', kind: 'resident', procedure: 'espace famille' });
    const [into] = await db.select({ reference: requests.reference }).from(requests).where(eq(requests.id, kept.id));
    for (let i = 0; i < 5; i += 1) {
      const created = period.current.from.getTime() + (2 + i) * DAY;
      const { id } = await createRequest(db, { ...resident, procedure: 'Espace famille', category: 'accessibility', intake: 'phone' }, settings, { now: created, notify: false });
      await addAgentMessage(db, { requestId: id, agentId: agent.id, agentName: agent.name, body: 'Vu.', internal: false }, settings, created + HOUR, false);
      expect((await mergeRequest(db, agent, id, into!.reference, created + 2 * HOUR)).ok).toBe(true);
      made.push({ id, created, category: 'accessibility', channel: 'email', intake: 'phone', kind: 'resident', procedure: 'espace famille', firstResponse: created + HOUR, resolved: created + 2 * HOUR, merged: true });
    }
    // Article feedback and searches that found nothing, some before the period.
    const feedback: { article: string; helpful: boolean; at: number }[] = [];
    for (let i = 0; i < 60; i += 1) {
      const at = start + Math.floor(random() * (NOW - start));
      const article = pick(['fr/carte-refusee', 'fr/code-sms-non-recu', 'fr/creer-un-compte']);
      const helpful = random() < 0.6;
      await recordFeedback(db, { collection: 'faq', articleId: article, locale: 'fr', helpful }, () => true, { client: `reader-${i}`, now: at });
      feedback.push({ article, helpful, at });
    }
    const misses: { normalized: string; at: number }[] = [];
    for (let i = 0; i < 40; i += 1) {
      const at = start + Math.floor(random() * (NOW - start));
      const query = pick(['Carte grise', 'carte  GRISE', 'piscine', 'Quotient familial', 'crèche horaires']);
      await recordSearchMiss(db, { query, locale: 'fr' }, `searcher-${i}`, at);
      misses.push({ normalized: normalizeQuery(query), at });
    }

    // Questions settled on the spot, by phone, at the counter…, some before the period and on its edges.
    const quick: { channel: string; at: number }[] = [];
    for (let i = 0; i < 70; i += 1) {
      const at = i < 2 ? [period.current.from.getTime(), period.current.from.getTime() - 1][i]! : start + Math.floor(arrival.random() * (NOW - start));
      const channel = arrival.pick(['phone', 'phone', 'counter', 'counter', 'letter', 'email', 'partner'] as const);
      await recordQuickAnswer(db, agent, { channel, category: arrival.pick(categories) }, at);
      quick.push({ channel, at });
    }

    const report = await buildReport(db, period, DEFAULT_OBJECTIVES, NOW);

    // ---- The same figures, computed here from what was made -------------------------------------
    const deadlines = new Map((await db.select({ id: requests.id, due: requests.dueAt, resolutionDue: requests.resolutionDueAt }).from(requests)).map((r) => [r.id, { due: r.due.getTime(), resolutionDue: r.resolutionDue!.getTime() }]));
    const inP = (at: number | undefined, p: { from: Date; to: Date }) => at !== undefined && at >= p.from.getTime() && at < p.to.getTime();
    const counted = made.filter((m) => !m.merged);
    for (const [name, p] of [['current', period.current], ['previous', period.previous]] as const) {
      const figures = report[name];
      const received = counted.filter((m) => inP(m.created, p));
      expect(figures.received, `${name} received`).toBe(received.length);
      for (const c of categories) expect(figures.byCategory[c], `${name} ${c}`).toBe(received.filter((m) => m.category === c).length);
      for (const c of ['email', 'phone', 'in-person'] as const) expect(figures.byChannel[c], `${name} ${c}`).toBe(received.filter((m) => m.channel === c).length);
      for (const k of ['resident', 'helper', 'staff'] as const) expect(figures.byKind[k], `${name} ${k}`).toBe(received.filter((m) => m.kind === k).length);
      for (const c of INTAKE_CHANNELS) {
        expect(figures.byIntake[c], `${name} intake ${c}`).toBe(received.filter((m) => m.intake === c).length);
        expect(figures.quickByChannel[c], `${name} on the spot ${c}`).toBe(quick.filter((q) => q.channel === c && inP(q.at, p)).length);
      }
      if (name === 'current') {
        for (const c of INTAKE_CHANNELS) {
          const times = counted.filter((m) => m.intake === c && inP(m.firstResponse, p)).map((m) => m.firstResponse! - m.created);
          expect(figures.firstResponseByIntake[c], `first response by ${c}`).toBe(rank(times, 50));
        }
      }
      const answered = counted.filter((m) => inP(m.firstResponse, p)).map((m) => m.firstResponse! - m.created);
      expect(figures.firstResponse, `${name} first response`).toEqual({ count: answered.length, median: rank(answered, 50), p90: rank(answered, 90) });
      const resolved = counted.filter((m) => inP(m.resolved, p)).map((m) => m.resolved! - m.created);
      expect(figures.resolved).toBe(resolved.length);
      expect(figures.resolution, `${name} resolution`).toEqual({ count: resolved.length, median: rank(resolved, 50), p90: rank(resolved, 90) });
      const until = Math.min(p.to.getTime(), NOW);
      const due = counted.filter((m) => deadlines.get(m.id)!.due >= p.from.getTime() && deadlines.get(m.id)!.due < until);
      const metFirst = due.filter((m) => Math.min(m.firstResponse ?? Infinity, m.resolved ?? Infinity) <= deadlines.get(m.id)!.due);
      expect(figures.firstResponseOnTime, `${name} on time`).toEqual({ total: due.length, met: metFirst.length });
      const resolutionDue = counted.filter((m) => deadlines.get(m.id)!.resolutionDue >= p.from.getTime() && deadlines.get(m.id)!.resolutionDue < until);
      expect(figures.resolutionOnTime, `${name} resolution on time`).toEqual({ total: resolutionDue.length, met: resolutionDue.filter((m) => (m.resolved ?? Infinity) <= deadlines.get(m.id)!.resolutionDue).length });
      const answers = made.filter((m) => m.satisfaction && inP(m.satisfaction.at, p));
      expect(figures.satisfaction.answers).toBe(answers.length);
      for (const level of ['good', 'average', 'bad'] as const) expect(figures.satisfaction[level], `${name} ${level}`).toBe(answers.filter((m) => m.satisfaction!.level === level).length);
      expect(figures.satisfaction.clarity).toEqual([1, 2, 3, 4, 5].map((s) => answers.filter((m) => m.satisfaction!.clarity === s).length));
      const votes = feedback.filter((f) => inP(f.at, p));
      expect(figures.articles, `${name} articles`).toEqual({ yes: votes.filter((f) => f.helpful).length, no: votes.filter((f) => !f.helpful).length });
      expect(figures.misses).toBe(misses.filter((m) => inP(m.at, period[name])).length);
    }
    // Sanity: the dataset exercises what it should.
    expect(report.current.received).toBeGreaterThan(40);
    expect(report.previous.received).toBeGreaterThan(40);
    expect(report.current.firstResponseOnTime.met).toBeGreaterThan(0);
    expect(report.current.firstResponseOnTime.met).toBeLessThan(report.current.firstResponseOnTime.total);

    // Procedures are counted together whatever the case and the spaces around them.
    const byProcedure = new Map<string, { count: number; previous: number }>();
    for (const m of counted) {
      const entry = byProcedure.get(m.procedure) ?? { count: 0, previous: 0 };
      if (inP(m.created, period.current)) entry.count += 1;
      if (inP(m.created, period.previous)) entry.previous += 1;
      byProcedure.set(m.procedure, entry);
    }
    expect(report.procedures.rows.map((r) => [r.label.trim().toLowerCase(), r.count, r.previous]).sort()).toEqual([...byProcedure].filter(([, v]) => v.count > 0).map(([k, v]) => [k, v.count, v.previous]).sort());

    // Blocking points: procedure × problem, with resolutions and the help pages linked.
    const top = report.blocking[0]!;
    const group = counted.filter((m) => m.category === top.category && m.procedure === top.procedure.trim().toLowerCase());
    expect(top.count).toBe(group.filter((m) => inP(m.created, period.current)).length);
    expect(top.previous).toBe(group.filter((m) => inP(m.created, period.previous)).length);
    const resolvedInGroup = group.filter((m) => inP(m.created, period.current) && m.resolved !== undefined);
    expect(top.resolved).toBe(resolvedInGroup.length);
    expect(top.medianResolution).toBe(rank(resolvedInGroup.map((m) => m.resolved! - m.created), 50));
    expect(Math.max(...report.blocking.map((b) => b.count))).toBe(top.count);
    const linked = group.filter((m) => inP(m.created, period.current) && m.linked).length;
    expect(top.articles).toEqual(linked > 0 ? [{ collection: 'faq', id: 'fr/carte-refusee', count: linked }] : []);

    // Searches: counted together once normalised, most frequent first.
    const expectedMisses = new Map<string, number>();
    for (const m of misses.filter((x) => inP(x.at, period.current))) expectedMisses.set(m.normalized, (expectedMisses.get(m.normalized) ?? 0) + 1);
    expect(new Map(report.misses.map((m) => [m.normalized, m.count]))).toEqual(expectedMisses);
    expect(report.misses.map((m) => m.count)).toEqual([...report.misses.map((m) => m.count)].sort((a, b) => b - a));

    // Articles per article and language.
    for (const row of report.articles) {
      const votes = feedback.filter((f) => f.article === row.articleId && inP(f.at, period.current));
      expect([row.yes, row.no]).toEqual([votes.filter((f) => f.helpful).length, votes.filter((f) => !f.helpful).length]);
    }

    // Objectives against what was achieved.
    const onTime = report.objectives.find((o) => o.id === 'firstResponseOnTime')!;
    expect(onTime.achieved).toBeCloseTo((100 * report.current.firstResponseOnTime.met) / report.current.firstResponseOnTime.total, 10);
    expect(onTime.status).toBe(onTime.achieved! >= 90 ? 'met' : 'missed');

    // The channel table (screen, CSV, summary): requests and answers on the spot, their share of the whole load.
    const channels = reportTables(report, useTranslations('fr'), new Map(), (c) => c).intake;
    const load = counted.filter((m) => inP(m.created, period.current)).length + quick.filter((q) => inP(q.at, period.current)).length;
    for (const c of INTAKE_CHANNELS) {
      const row = channels.rows.find((r) => r[0] === useTranslations('fr')(`agent.intake.channel.${c}`))!;
      const requestsIn = counted.filter((m) => m.intake === c && inP(m.created, period.current)).length;
      const quickIn = quick.filter((q) => q.channel === c && inP(q.at, period.current)).length;
      expect(row.slice(1, 4), c).toEqual([requestsIn, quickIn, requestsIn + quickIn]);
      expect(row[4], `${c} share`).toBe(Math.round((1000 * (requestsIn + quickIn)) / load) / 10);
    }
    expect(quick.filter((q) => inP(q.at, period.current)).length).toBeGreaterThan(20);
    expect(report.current.byIntake.web).toBeGreaterThan(10);
    expect(INTAKE_CHANNELS.filter((c) => report.current.firstResponseByIntake[c] !== null).length).toBeGreaterThan(3);

    // The series adds up to the requests received.
    expect(report.series.unit).toBe('day');
    expect(report.series.points).toHaveLength(30);
    expect(report.series.points.reduce((s, p) => s + p.count, 0)).toBe(report.current.received);
  });

  it('ranks articles by share of "yes" among those with enough answers', () => {
    const row = (articleId: string, yes: number, no: number) => ({ collection: 'faq' as const, articleId, locale: 'fr' as const, yes, no, comments: 0 });
    const ranked = rankArticles([row('a', 9, 1), row('b', 1, 1), row('c', 2, 8), row('d', 5, 0), row('e', 3, 3)], 2);
    expect(ranked.most.map((r) => r.articleId)).toEqual(['d', 'a']);
    expect(ranked.least.map((r) => r.articleId)).toEqual(['c', 'e']);
  });
});

describe('satisfaction', () => {
  it('is asked once a request is resolved, once per request, and survives a reopening', async () => {
    const { id } = await createRequest(db, resident, settings, { now: NOW - DAY, notify: false });
    expect(await answerSatisfaction(db, id, 'good', 'fr', NOW)).toEqual({ ok: false, reason: 'not-resolved' });
    await changeStatus(db, id, 'resolved', 'Claire', settings, NOW - HOUR);
    // The resolution mail asks how it went, at the private link's #avis.
    const [mail] = await db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'status'));
    expect(mail!.textBody).toMatch(/Comment cela s’est-il passé \?[\s\S]*\/suivi\/[A-Za-z0-9_-]+\/#avis/);
    expect(await answerSatisfaction(db, id, 'average', 'fr', NOW)).toEqual({ ok: true });
    expect(await answerSatisfaction(db, id, 'good', 'fr', NOW)).toEqual({ ok: true }); // changed before the second step
    expect(await completeSatisfaction(db, id, { clarity: 4, comment: '  Merci.  ' }, NOW)).toEqual({ ok: true });
    expect(await completeSatisfaction(db, id, { clarity: 1, comment: '' }, NOW)).toEqual({ ok: false, reason: 'already-answered' });
    expect(await answerSatisfaction(db, id, 'bad', 'fr', NOW)).toEqual({ ok: false, reason: 'already-answered' });
    const rows = await db.select().from(satisfaction);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ level: 'good', clarity: 4, comment: 'Merci.' });
    // Reopened and resolved again: no second question in the mail, the answer stays.
    await addRequesterReply(db, id, 'Encore un souci.', [], NOW + HOUR);
    await changeStatus(db, id, 'resolved', 'Claire', settings, NOW + 2 * HOUR);
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'status'));
    expect(mails.at(-1)!.textBody).not.toContain('#avis');
    expect(await db.select().from(satisfaction)).toHaveLength(1);
    expect(await completeSatisfaction(db, id, { clarity: null, comment: 'x'.repeat(1001) }, NOW)).toEqual({ ok: false, reason: 'comment-too-long' });
  });

  it('is not asked of a duplicate merged into another request', async () => {
    const agent = await addAgent(db, 'claire@example.org');
    const a = await createRequest(db, resident, settings, { now: NOW - DAY, notify: false });
    const b = await createRequest(db, resident, settings, { now: NOW - DAY, notify: false });
    const [into] = await db.select({ reference: requests.reference }).from(requests).where(eq(requests.id, a.id));
    expect((await mergeRequest(db, agent, b.id, into!.reference, NOW)).ok).toBe(true);
    expect(await answerSatisfaction(db, b.id, 'good', 'fr', NOW)).toEqual({ ok: false, reason: 'not-resolved' });
  });

  it('times a resolution from when it was resolved, not when it was closed afterwards, and forgets it on reopening', async () => {
    const { id } = await createRequest(db, resident, settings, { now: NOW - DAY, notify: false });
    const resolvedAt = async () => (await db.select({ at: requests.resolvedAt }).from(requests).where(eq(requests.id, id)))[0]!.at?.getTime() ?? null;
    await changeStatus(db, id, 'resolved', 'Claire', settings, NOW - 3 * HOUR, false);
    await changeStatus(db, id, 'closed', 'Claire', settings, NOW - 2 * HOUR, false);
    expect(await resolvedAt()).toBe(NOW - 3 * HOUR);
    await changeStatus(db, id, 'open', 'Claire', settings, NOW - HOUR, false);
    expect(await resolvedAt()).toBeNull();
  });
});

describe('help pages in replies', () => {
  it('are the portal’s FAQ entries and tutorials, in either language, once each', () => {
    const body = 'Voyez https://aide.example.org/faq/carte-refusee/, /tutoriels/payer-en-ligne/ et https://aide.example.org/en/tutorials/pay-online/ ; https://aide.example.org/faq/carte-refusee/ encore ; pas https://ailleurs.example/faq/autre/ ni /en/tutoriels/x/ ni https://aide.example.org/faq/';
    expect(helpLinks(body, 'https://aide.example.org')).toEqual([
      { collection: 'faq', articleId: 'fr/carte-refusee' },
      { collection: 'tutorials', articleId: 'fr/payer-en-ligne' },
      { collection: 'tutorials', articleId: 'en/pay-online' },
    ]);
  });
});

describe('searches that found nothing', () => {
  it('keep the words only, counted together whatever the case, accents and spaces', async () => {
    expect(normalizeQuery('  Crèche — HORAIRES !  ')).toBe('creche horaires');
    expect(acceptableQuery('  carte   grise ')).toBe('carte grise');
    for (const personal of ['martine@example.org', '06 12 34 56 78', 'ref 482-193-650', '0612345678']) expect(acceptableQuery(personal), personal).toBeNull();
    for (const junk of ['', '   ', '!!!', 'x'.repeat(101), 'a\u0000b', 'ligne\nsuivante']) expect(acceptableQuery(junk), JSON.stringify(junk)).toBeNull();
    expect(await recordSearchMiss(db, { query: 'Carte Grise', locale: 'fr' }, 'client-1', NOW)).toBe('recorded');
    expect(await recordSearchMiss(db, { query: 'martine@example.org', locale: 'fr' }, 'client-1', NOW)).toBe('refused');
    const rows = await db.select().from(searchMisses);
    expect(rows.map((r) => [r.query, r.normalized, r.locale])).toEqual([['Carte Grise', 'carte grise', 'fr']]);
    // The table has no column that could identify anyone.
    expect(Object.keys(rows[0]!).sort()).toEqual(['createdAt', 'id', 'locale', 'normalized', 'query']);
  });

  it('are rate-limited per client', async () => {
    for (let i = 0; i < SEARCH_MISS_RATE_LIMIT.limit; i += 1) expect(await recordSearchMiss(db, { query: `mot ${i}`, locale: 'fr' }, 'noisy', NOW)).toBe('recorded');
    expect(await recordSearchMiss(db, { query: 'encore', locale: 'fr' }, 'noisy', NOW)).toBe('rate-limited');
    expect(await recordSearchMiss(db, { query: 'encore', locale: 'fr' }, 'someone-else', NOW)).toBe('recorded');
  });
});

describe('evaluation surveys', () => {
  it('are written as drafts, frozen once published, answered anonymously and counted', async () => {
    const admin = await addAgent(db, 'admin@example.org', 'admin');
    const id = await createSurvey(db, admin, { title: 'Fiche d’évaluation', intro: '', audience: 'agents', audienceDetail: 'Accueil', locale: 'fr' }, [{ kind: 'scale', label: 'Utile ?', choices: [], required: true }], NOW);
    expect(await changeSurveyStatus(db, admin, id, 'close', NOW)).toEqual({ ok: false, reason: 'bad-status' });
    expect((await saveQuestion(db, admin, id, { kind: 'choice', label: 'Combien ?', choices: ['Peu', 'Beaucoup'], required: false })).ok).toBe(true);
    expect((await saveQuestion(db, admin, id, { kind: 'text', label: 'Pourquoi ?', choices: ['ignored'], required: false })).ok).toBe(true);
    let survey = (await findSurvey(db, { id }))!;
    expect(survey.questions.map((q) => q.label)).toEqual(['Utile ?', 'Combien ?', 'Pourquoi ?']);
    expect(survey.questions[2]!.choices).toEqual([]);
    await moveQuestion(db, admin, id, survey.questions[2]!.id, 'up');
    survey = (await findSurvey(db, { id }))!;
    expect(survey.questions.map((q) => q.label)).toEqual(['Utile ?', 'Pourquoi ?', 'Combien ?']);
    expect(await submitSurveyResponse(db, survey, [], NOW)).toBe(false); // a draft takes no answers
    expect((await changeSurveyStatus(db, admin, id, 'publish', NOW)).ok).toBe(true);
    expect(await saveQuestion(db, admin, id, { kind: 'text', label: 'Nouvelle', choices: [], required: false })).toEqual({ ok: false, reason: 'not-draft' });
    survey = (await findSurvey(db, { slug: survey.slug }))!;
    const [scale, text, choice] = survey.questions as [typeof survey.questions[0], typeof survey.questions[0], typeof survey.questions[0]];

    const answers = (values: Record<number, string>) => checkAnswers(survey.questions, (q) => values[q] ?? '');
    expect(answers({}).errors).toEqual([{ question: scale.id, message: 'required' }]);
    expect(answers({ [scale.id]: '6', [choice.id]: '2' }).errors).toEqual([{ question: scale.id, message: 'invalid' }, { question: choice.id, message: 'invalid' }]);
    expect(answers({ [scale.id]: '3', [text.id]: 'x'.repeat(2001) }).errors).toEqual([{ question: text.id, message: 'tooLong' }]);
    for (const values of [{ [scale.id]: '4', [choice.id]: '1', [text.id]: 'Plus de tutoriels.' }, { [scale.id]: '2', [choice.id]: '1' }, { [scale.id]: '5', [choice.id]: '0' }]) {
      const checked = answers(values);
      expect(checked.errors).toEqual([]);
      expect(await submitSurveyResponse(db, survey, checked.answers, NOW)).toBe(true);
    }
    const results = await surveyResults(db, survey);
    expect(results.responses).toBe(3);
    expect(results.questions[0]).toMatchObject({ answered: 3, mean: 11 / 3, counts: [{ option: '1', count: 0 }, { option: '2', count: 1 }, { option: '3', count: 0 }, { option: '4', count: 1 }, { option: '5', count: 1 }] });
    expect(results.questions[1]).toMatchObject({ answered: 1, texts: ['Plus de tutoriels.'] });
    expect(results.questions[2]!.counts).toEqual([{ option: '0', count: 1 }, { option: '1', count: 2 }]);
    const rows = await surveyResponseRows(db, survey);
    expect(rows.map((r) => r.values)).toEqual([['4', 'Plus de tutoriels.', '1'], ['2', null, '1'], ['5', null, '0']]);
    // Only the day is kept with an answer.
    expect(rows[0]!.day).toBe('2026-11-25');
    expect(await db.select().from(surveyAnswers)).toHaveLength(7);
    // Closed: no more answers.
    expect((await changeSurveyStatus(db, admin, id, 'close', NOW)).ok).toBe(true);
    expect(await submitSurveyResponse(db, survey, answers({ [scale.id]: '1' }).answers, NOW)).toBe(false);
    expect((await surveyResults(db, survey)).responses).toBe(3);
  });
});

describe('CSV files', () => {
  it('open in a French spreadsheet: semicolons, decimal commas, UTF-8 mark, formulas neutralised', () => {
    const csv = tableCsv('fr', {
      id: 'searches',
      caption: 'x',
      columns: [{ label: 'Recherche', kind: 'text' }, { label: 'Part (%)', kind: 'percent' }, { label: 'Vide', kind: 'hours' }],
      rows: [['carte; "grise"', 12.5, null], ['=HYPERLINK("x")', -3, 0], ['\uff1dHYPERLINK("x")', 0, 0], ['\uff0b1', 0, 0], ['\uff0d1', 0, 0], ['\uff20SUM(A1)', 0, 0]],
    });
    expect(csv.split('\r\n')).toEqual([
      '\uFEFFRecherche;Part (%);Vide',
      '"carte; ""grise""";12,5;',
      `"'=HYPERLINK(""x"")";-3;0`,
      // Full-width signs, which spreadsheets read as formulas too.
      `"'\uff1dHYPERLINK(""x"")";0;0`,
      "'\uff0b1;0;0",
      "'\uff0d1;0;0",
      "'\uff20SUM(A1);0;0",
      '',
    ]);
    expect(tableCsv('en', { id: 'searches', caption: 'x', columns: [{ label: 'A', kind: 'percent' }], rows: [[12.5]] })).toBe('\uFEFFA\r\n12.5\r\n');
  });
});

describe('article feedback in the reports', () => {
  it('counts the answers before and after each article’s last published change, per article and collection', async () => {
    const changed = NOW - 10 * DAY;
    const entry = (kind: 'faq' | 'tutorial' | 'glossary', locale: 'fr' | 'en', slug: string, publishedAt: number | null) => ({ kind, locale, slug, state: publishedAt ? ('published' as const) : ('draft' as const), publishedAt: publishedAt ? new Date(publishedAt) : null, createdAt: new Date(NOW - 100 * DAY), updatedAt: new Date(changed) });
    await db.insert(helpEntries).values([entry('faq', 'fr', 'carte-refusee', changed), entry('tutorial', 'fr', 'carte-refusee', changed - 5 * DAY), entry('faq', 'en', 'card-refused', changed), entry('faq', 'fr', 'brouillon', null), entry('glossary', 'fr', 'glossaire', changed)]);
    const vote = (collection: 'faq' | 'tutorials', articleId: string, helpful: boolean, at: number, i: number) => recordFeedback(db, { collection, articleId, locale: articleId.slice(0, 2) as 'fr' | 'en', helpful }, () => true, { client: `around-${i}`, now: at });
    let i = 0;
    for (const [collection, articleId, helpful, at] of [
      ['faq', 'fr/carte-refusee', true, changed - DAY],
      ['faq', 'fr/carte-refusee', false, changed - DAY],
      ['faq', 'fr/carte-refusee', false, changed - 2 * DAY],
      ['faq', 'fr/carte-refusee', true, changed],
      ['faq', 'fr/carte-refusee', true, changed + DAY],
      // The tutorial of the same slug, changed earlier: counted apart.
      ['tutorials', 'fr/carte-refusee', true, changed - DAY],
      ['faq', 'en/card-refused', false, changed + DAY],
      // Never published, or not an article: no line.
      ['faq', 'fr/brouillon', true, changed],
      ['faq', 'fr/inconnue', true, changed],
    ] as const) await vote(collection, articleId, helpful, at, i++);
    const around = await usefulnessAroundLastChange(db);
    expect([...around.keys()].sort()).toEqual(['faq:en/card-refused', 'faq:fr/carte-refusee', 'tutorials:fr/carte-refusee']);
    expect(around.get('faq:fr/carte-refusee')).toEqual({ collection: 'faq', articleId: 'fr/carte-refusee', changedAt: new Date(changed), beforeYes: 1, beforeNo: 2, afterYes: 2, afterNo: 0 });
    expect(around.get('tutorials:fr/carte-refusee')).toMatchObject({ beforeYes: 0, afterYes: 1 });
    expect(around.get('faq:en/card-refused')).toMatchObject({ beforeYes: 0, beforeNo: 0, afterYes: 0, afterNo: 1 });
  });

  it('keeps each comment with its article, readable by agents', async () => {
    const answer = await recordFeedback(db, { collection: 'faq', articleId: 'fr/carte-refusee', locale: 'fr', helpful: false }, () => true, { client: 'c', now: NOW - HOUR });
    if (!answer.ok) throw new Error('feedback refused');
    await addFeedbackComment(db, { id: answer.id, token: answer.token, comment: 'Il manque le cas des cartes prépayées.' }, { client: 'c', now: NOW - HOUR });
    const { articleComments } = await import('../../src/lib/server/evaluation/reports');
    const period = periodFromQuery(new URLSearchParams('periode=7j'), new Date(NOW));
    expect((await articleComments(db, period.current)).map((c) => [c.articleId, c.helpful, c.comment])).toEqual([['fr/carte-refusee', false, 'Il manque le cas des cartes prépayées.']]);
    expect(await articleComments(db, period.current, { collection: 'faq', id: 'fr/autre' })).toEqual([]);
    expect(await db.get<{ n: number }>(sql`select count(*) as n from article_feedback`)).toEqual({ n: 1 });
  });
});
