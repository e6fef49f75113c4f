/**
 * The agents' queues: named views over the requests, filters, full-text search (SQLite FTS5)
 * and counts per queue. Every query is bounded (a page of rows, a capped number of search
 * hits) and served by an index, so that it stays fast with a hundred thousand requests.
 */
import { and, asc, desc, eq, gte, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm';
import {
  ANSWER_CHANNELS,
  agents,
  type AnswerChannel,
  REQUEST_CATEGORIES,
  REQUEST_PRIORITIES,
  REQUEST_STATUSES,
  messages,
  type RequestCategory,
  type RequestPriority,
  requesters,
  requests,
  type RequestStatus,
  requestViews,
} from '../../../../db/schema';
import type { Db } from '../db';

export const QUEUES = ['todo', 'mine', 'unassigned', 'new', 'waiting', 'overdue', 'all'] as const;
export type Queue = (typeof QUEUES)[number];
export const SORTS = ['due', 'updated', 'created', 'oldest', 'priority'] as const;
export type Sort = (typeof SORTS)[number];

export const PAGE_SIZE = 25;
/** Search looks at this many of the most recent matching texts, then groups them by request. */
export const SEARCH_HIT_CAP = 2000;

/** Statuses that need an agent's work (waiting: the resident has to answer first). */
const ACTIVE: RequestStatus[] = ['new', 'open'];
const NOT_DONE: RequestStatus[] = ['new', 'open', 'waiting'];

export interface QueueFilters {
  queue: Queue;
  status?: RequestStatus;
  category?: RequestCategory;
  priority?: RequestPriority;
  channel?: AnswerChannel;
  /** An agent id, or 'none' for unassigned. */
  assignee?: number | 'none';
  /** Created on or after / before the end of, as YYYY-MM-DD (Paris day, taken as UTC). */
  from?: string;
  to?: string;
  q?: string;
  sort?: Sort;
  page?: number;
}

const pick = <T extends string>(values: readonly T[], value: string | null | undefined): T | undefined => (values.includes(value as T) ? (value as T) : undefined);
const isDay = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : undefined);

/** Reads the filters from a queue address; anything unknown is ignored rather than refused. */
export function filtersFromQuery(params: URLSearchParams): QueueFilters {
  const assignee = params.get('agent');
  const q = params.get('q')?.trim().slice(0, 200) || undefined;
  return {
    // A search from the first screen looks through every request, not only those to do.
    queue: pick(QUEUES, params.get('file')) ?? (q ? 'all' : 'todo'),
    status: pick(REQUEST_STATUSES, params.get('statut')),
    category: pick(REQUEST_CATEGORIES, params.get('categorie')),
    priority: pick(REQUEST_PRIORITIES, params.get('priorite')),
    channel: pick(ANSWER_CHANNELS, params.get('canal')),
    assignee: assignee === 'none' ? 'none' : assignee && /^\d{1,9}$/.test(assignee) ? Number(assignee) : undefined,
    from: isDay(params.get('du')),
    to: isDay(params.get('au')),
    q,
    sort: pick(SORTS, params.get('tri')),
    page: Math.min(Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1), 10_000),
  };
}

/** The address of a queue with these filters (the inverse of `filtersFromQuery`). */
export function queueQuery(filters: Partial<QueueFilters>): string {
  const params = new URLSearchParams();
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') params.set(name, String(value));
  };
  if (filters.queue && (filters.queue !== 'todo' || filters.q)) set('file', filters.queue);
  set('statut', filters.status);
  set('categorie', filters.category);
  set('priorite', filters.priority);
  set('canal', filters.channel);
  set('agent', filters.assignee);
  set('du', filters.from);
  set('au', filters.to);
  set('q', filters.q);
  set('tri', filters.sort);
  if (filters.page && filters.page > 1) set('page', filters.page);
  const query = params.toString();
  return query ? `?${query}` : '';
}

function queueCondition(queue: Queue, agentId: number, now: number): SQL | undefined {
  switch (queue) {
    case 'todo':
      return inArray(requests.status, ACTIVE);
    case 'mine':
      return and(eq(requests.assigneeId, agentId), inArray(requests.status, NOT_DONE));
    case 'unassigned':
      return and(isNull(requests.assigneeId), inArray(requests.status, NOT_DONE));
    case 'new':
      return eq(requests.status, 'new');
    case 'waiting':
      return eq(requests.status, 'waiting');
    case 'overdue':
      return and(inArray(requests.status, ACTIVE), lt(requests.nextDueAt, new Date(now)));
    case 'all':
      return undefined;
  }
}

const DAY_MS = 86_400_000;

function filterConditions(filters: QueueFilters, agentId: number, now: number): (SQL | undefined)[] {
  return [
    queueCondition(filters.queue, agentId, now),
    filters.status ? eq(requests.status, filters.status) : undefined,
    filters.category ? eq(requests.category, filters.category) : undefined,
    filters.priority ? eq(requests.priority, filters.priority) : undefined,
    filters.channel ? eq(requests.channel, filters.channel) : undefined,
    filters.assignee === 'none' ? isNull(requests.assigneeId) : filters.assignee ? eq(requests.assigneeId, filters.assignee) : undefined,
    filters.from ? gte(requests.createdAt, new Date(Date.parse(filters.from))) : undefined,
    filters.to ? lt(requests.createdAt, new Date(Date.parse(filters.to) + DAY_MS)) : undefined,
  ];
}

function defaultSort(filters: QueueFilters): Sort {
  if (filters.sort) return filters.sort;
  return filters.queue === 'all' || filters.queue === 'waiting' || filters.q ? 'updated' : 'due';
}

const priorityRank = sql`case ${requests.priority} when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

function orderBy(sort: Sort) {
  switch (sort) {
    case 'due':
      return [asc(requests.nextDueAt), asc(requests.id)];
    case 'updated':
      return [desc(requests.updatedAt), desc(requests.id)];
    case 'created':
      return [desc(requests.createdAt), desc(requests.id)];
    case 'oldest':
      return [asc(requests.createdAt), asc(requests.id)];
    case 'priority':
      return [asc(priorityRank), asc(requests.nextDueAt), asc(requests.id)];
  }
}

/**
 * Words of a search, as an FTS5 query: each word quoted (no operator can be injected), all
 * required, the last one as a prefix so that "canti" finds "cantine". A reference typed with
 * dashes or spaces ("482-193-650") becomes one word.
 */
export function ftsQuery(text: string): string | undefined {
  const compact = text.replace(/(\d)[\s.-](?=\d)/g, '$1');
  const words = compact.match(/[\p{L}\p{N}]+/gu)?.slice(0, 12) ?? [];
  if (words.length === 0) return undefined;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

/** Request ids matching a search, most recent text first, at most SEARCH_HIT_CAP texts read. */
async function searchRequestIds(db: Db, text: string): Promise<{ ids: number[]; capped: boolean }> {
  const query = ftsQuery(text);
  if (!query) return { ids: [], capped: false };
  // The hits as one JSON array: 2,000 rows read one by one cost 14 ms at 100,000 requests, the
  // array 8 ms.
  const [row] = await db.all<{ hits: string }>(
    sql`select json_group_array(request_id) as hits from (select request_id from request_search where request_search match ${query} order by rowid desc limit ${SEARCH_HIT_CAP})`,
  );
  const hits = JSON.parse(row?.hits ?? '[]') as number[];
  return { ids: [...new Set(hits)], capped: hits.length === SEARCH_HIT_CAP };
}

export interface QueueRow {
  id: number;
  reference: string;
  status: RequestStatus;
  priority: RequestPriority;
  category: RequestCategory;
  channel: AnswerChannel;
  procedure: string;
  description: string;
  requesterName: string;
  createdAt: Date;
  updatedAt: Date;
  nextDueAt: Date | null;
  firstResponseAt: Date | null;
  assigneeName: string | null;
  needs: string[];
  /**
   * What the agent has not seen on an active request: `reply`, the resident wrote after the
   * agent last opened it; `new`, the agent has never opened it.
   */
  unread?: 'reply' | 'new';
}

export interface QueuePage {
  rows: QueueRow[];
  total: number;
  page: number;
  pages: number;
  sort: Sort;
  /** The search read its maximum of texts: there may be older matches. */
  capped: boolean;
}

export async function listQueue(db: Db, filters: QueueFilters, agentId: number, now: number = Date.now()): Promise<QueuePage> {
  const sort = defaultSort(filters);
  const conditions = filterConditions(filters, agentId, now);
  let capped = false;
  if (filters.q) {
    const found = await searchRequestIds(db, filters.q);
    capped = found.capped;
    if (found.ids.length === 0) return { rows: [], total: 0, page: 1, pages: 1, sort, capped };
    // One JSON parameter rather than up to 2,000 bound ids, in both the count and the page.
    conditions.push(sql`${requests.id} in (select value from json_each(${JSON.stringify(found.ids)}))`);
  }
  const where = and(...conditions);
  const [{ total }] = (await db.select({ total: sql<number>`count(*)` }).from(requests).where(where)) as [{ total: number }];
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(filters.page ?? 1, pages);
  // The page's ids first, from the requests alone (an index gives them in order), then their
  // rows with the requester and the assignee: joining before sorting would join every request
  // of the queue (8 ms at 100,000 requests against 0.8 ms).
  const pageIds = db
    .select({ id: requests.id })
    .from(requests)
    .where(where)
    .orderBy(...orderBy(sort))
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
  const rows = await db
    .select({
      id: requests.id,
      reference: requests.reference,
      status: requests.status,
      priority: requests.priority,
      category: requests.category,
      channel: requests.channel,
      procedure: requests.procedure,
      description: sql<string>`substr(${requests.description}, 1, 160)`,
      requesterName: requesters.name,
      createdAt: requests.createdAt,
      updatedAt: requests.updatedAt,
      nextDueAt: requests.nextDueAt,
      firstResponseAt: requests.firstResponseAt,
      assigneeName: agents.name,
      needs: requests.needs,
    })
    .from(requests)
    .innerJoin(requesters, eq(requesters.id, requests.requesterId))
    .leftJoin(agents, eq(agents.id, requests.assigneeId))
    .where(inArray(requests.id, pageIds))
    .orderBy(...orderBy(sort));
  return { rows: await withUnread(db, rows as QueueRow[], agentId), total, page, pages, sort, capped };
}

/** The queue a request was opened from (as its address's query) and the request's place in it, carried along as `depuis` and `rang`. */
export interface QueueTrail {
  query: string;
  rank: number;
}

export function queueTrail(get: (name: string) => string | null | undefined): QueueTrail {
  const rank = Number.parseInt(get('rang') ?? '', 10);
  return { query: queueQuery(filtersFromQuery(new URLSearchParams(get('depuis') ?? ''))), rank: Number.isFinite(rank) ? Math.min(Math.max(0, rank), 10_000 * PAGE_SIZE) : 0 };
}

/** `depuis` and `rang` as query parameters (none for the first request of the default queue). */
export function trailParams(trail: QueueTrail): [string, string][] {
  return [...(trail.query ? [['depuis', trail.query] as [string, string]] : []), ...(trail.rank > 0 ? [['rang', String(trail.rank)] as [string, string]] : [])];
}

/**
 * The request to open after `current`, which the agent opened at position `rank` (from 0) of
 * the queue `filters`: the one after it, or, when the work done took it out of the queue, the
 * one now at its place; none at the end of the queue (the agent goes back to it, where the
 * requests left behind are).
 */
export async function nextInQueue(db: Db, filters: QueueFilters, agentId: number, current: string, rank: number, now: number = Date.now()): Promise<{ reference: string; rank: number } | undefined> {
  const pageAt = async (page: number) => {
    const found = await listQueue(db, { ...filters, page }, agentId, now);
    // A page past the end answers with the last one: nothing there.
    return found.page === page ? found.rows : [];
  };
  const page = Math.floor(rank / PAGE_SIZE) + 1;
  const rows = await pageAt(page);
  const here = rows.findIndex((row) => row.reference === current);
  const at = here >= 0 ? here + 1 : rank - (page - 1) * PAGE_SIZE;
  const candidates = rows.slice(at).map((row, i) => ({ row, rank: (page - 1) * PAGE_SIZE + at + i }));
  if (candidates.length === 0 && rows.length === PAGE_SIZE) candidates.push(...(await pageAt(page + 1)).map((row, i) => ({ row, rank: page * PAGE_SIZE + i })));
  const next = candidates.find((c) => c.row.reference !== current);
  return next && { reference: next.row.reference, rank: next.rank };
}

/** Marks the rows of a page the agent has not seen (one query for the page's rows, by primary keys). */
async function withUnread(db: Db, rows: QueueRow[], agentId: number): Promise<QueueRow[]> {
  const active = rows.filter((row) => NOT_DONE.includes(row.status)).map((row) => row.id);
  if (active.length === 0) return rows;
  const seen = await db
    .select({
      id: requests.id,
      viewedAt: requestViews.at,
      lastReplyAt: sql<number | null>`(select max(${messages.createdAt}) from ${messages} where ${messages.requestId} = ${requests.id} and ${messages.author} = 'requester')`,
    })
    .from(requests)
    .leftJoin(requestViews, and(eq(requestViews.requestId, requests.id), eq(requestViews.agentId, agentId)))
    .where(inArray(requests.id, active));
  const byId = new Map(seen.map((row) => [row.id, row]));
  return rows.map((row) => {
    const state = byId.get(row.id);
    if (!state) return row;
    const viewed = state.viewedAt?.getTime();
    const reply = state.lastReplyAt === null ? undefined : Number(state.lastReplyAt);
    if (reply !== undefined && (viewed === undefined || reply > viewed)) return { ...row, unread: 'reply' };
    if (viewed === undefined) return { ...row, unread: 'new' };
    return row;
  });
}

/** How many requests each queue holds, in one query. */
export async function queueCounts(db: Db, agentId: number, now: number = Date.now()): Promise<Record<Queue, number>> {
  const count = (queue: Queue) => {
    const condition = queueCondition(queue, agentId, now);
    return sql`(select count(*) from ${requests}${condition ? sql` where ${condition}` : sql``})`;
  };
  const [row] = await db.all<Record<Queue, number>>(sql`select ${sql.join(QUEUES.map((q) => sql`${count(q)} as ${sql.identifier(q)}`), sql`, `)}`);
  return Object.fromEntries(QUEUES.map((q) => [q, Number(row?.[q] ?? 0)])) as Record<Queue, number>;
}

/** Active agents, for the assignee filter and field. */
export async function activeAgents(db: Db) {
  return db.select({ id: agents.id, name: agents.name }).from(agents).where(eq(agents.active, true)).orderBy(asc(agents.name));
}
