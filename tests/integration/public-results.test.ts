/**
 * The published results are the reports' figures for the same period (the last 12 months and
 * the 12 before), on a seeded dataset, with no figure resting on fewer than 10 answers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import { answerSatisfaction } from '../../src/lib/server/evaluation/satisfaction';
import { periodFromQuery } from '../../src/lib/server/evaluation/period';
import { computePublicResults, PUBLIC_MIN_ANSWERS } from '../../src/lib/server/evaluation/public-results';
import { buildReport } from '../../src/lib/server/evaluation/reports';
import { addAgentMessage, changeStatus, createRequest } from '../../src/lib/server/requests';
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
const NOW = Date.parse('2026-11-25T10:00:00Z');


describe('published results', () => {
  it('equal the reports’ figures for the same 12 months, and show nothing under 10 answers', async () => {
    const agent = await addAgent(db, 'claire@example.org');
    const { random, pick } = generator(3);
    const period = periodFromQuery(new URLSearchParams('periode=12m'), new Date(NOW));
    const from = period.previous.from.getTime();
    // The current year: many requests, answered and rated; the year before: few ratings (under 10).
    for (let i = 0; i < 90; i += 1) {
      const current = i < 70;
      const created = current ? period.current.from.getTime() + Math.floor(random() * (NOW - period.current.from.getTime() - 20 * DAY)) : from + Math.floor(random() * 300 * DAY);
      const procedure = i % 3 === 0 ? 'Payer la cantine' : pick(['Espace famille', 'Crèche', 'Eau', 'Carte de bus']);
      const category = procedure === 'Payer la cantine' ? 'payment' : pick(['sign-in', 'documents', 'account'] as const);
      const { id } = await createRequest(db, { ...resident, procedure, category }, settings, { now: created, notify: false });
      if (random() < 0.85) {
        const answered = created + Math.floor(random() * 5 * DAY);
        await addAgentMessage(db, { requestId: id, agentId: agent.id, agentName: agent.name, body: i % 2 ? 'Voyez https://aide.example.org/faq/carte-refusee/' : 'Nous regardons.', internal: false }, settings, answered, false);
        if (random() < 0.8) {
          const resolved = answered + Math.floor(random() * 3 * DAY);
          await changeStatus(db, id, 'resolved', agent.name, settings, resolved, false);
          if (current ? random() < 0.7 : i % 4 === 0) await answerSatisfaction(db, id, pick(['good', 'good', 'average', 'bad'] as const), 'fr', resolved + HOUR);
        }
      }
    }

    const published = await computePublicResults(db, NOW);
    const report = await buildReport(db, period, DEFAULT_OBJECTIVES, NOW);
    expect(published.period.firstDay).toBe(report.period.firstDay);
    const round1 = (part: number, total: number) => Math.round((1000 * part) / total) / 10;
    for (const name of ['current', 'previous'] as const) {
      const f = report[name];
      const p = published[name];
      expect(p.onTime.count, `${name} on time`).toBe(f.firstResponseOnTime.total);
      expect(p.onTime.value).toBe(f.firstResponseOnTime.total >= PUBLIC_MIN_ANSWERS ? round1(f.firstResponseOnTime.met, f.firstResponseOnTime.total) : null);
      expect(p.firstResponse).toEqual({ value: f.firstResponse.count >= PUBLIC_MIN_ANSWERS ? f.firstResponse.median : null, count: f.firstResponse.count });
      expect(p.satisfaction.count).toBe(f.satisfaction.answers);
      expect(p.satisfaction.value).toBe(f.satisfaction.answers >= PUBLIC_MIN_ANSWERS ? round1(f.satisfaction.good, f.satisfaction.answers) : null);
    }
    // The dataset exercises both sides of the threshold.
    expect(published.current.satisfaction.value).not.toBeNull();
    expect(published.current.onTime.value).not.toBeNull();
    expect(published.previous.satisfaction.count).toBeGreaterThan(0);
    expect(published.previous.satisfaction.count).toBeLessThan(PUBLIC_MIN_ANSWERS);
    expect(published.previous.satisfaction.value).toBeNull();
    // Blocking situations: the reports' own, those met at least 10 times, with the help linked.
    const expected = report.blocking.filter((b) => b.count >= PUBLIC_MIN_ANSWERS);
    expect(published.blocking.map((b) => [b.procedure, b.category, b.count, b.resolved])).toEqual(expected.map((b) => [b.procedure, b.category, b.count, b.resolved]));
    expect(published.blocking.length).toBeGreaterThan(0);
    expect(published.blocking.length).toBeLessThan(report.blocking.length);
    expect(published.blocking[0]!.articles).toEqual([{ collection: 'faq', id: 'fr/carte-refusee' }]);
    // Nothing personal: names, addresses and descriptions never reach it.
    expect(JSON.stringify(published)).not.toMatch(/martine|example\.org|refusé/i);
  });
});
