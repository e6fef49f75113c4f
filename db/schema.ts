import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Limits shared by the zod schemas at the edge and the SQL constraints below. */
export const FEEDBACK_COMMENT_MAX = 1000;

/**
 * "Was this page useful?" answers. No personal data: the comment field says so to the
 * reader, and nothing identifies who answered.
 */
export const articleFeedback = sqliteTable(
  'article_feedback',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    collection: text('collection', { enum: ['faq', 'tutorials'] }).notNull(),
    articleId: text('article_id').notNull(),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    helpful: integer('helpful', { mode: 'boolean' }).notNull(),
    comment: text('comment'),
    /** SHA-256 of the one-time token that lets the same reader add a comment; cleared once used. */
    commentTokenHash: text('comment_token_hash'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('article_feedback_article_idx').on(t.collection, t.articleId),
    index('article_feedback_created_idx').on(t.createdAt),
    index('article_feedback_report_idx').on(t.createdAt, t.collection, t.articleId, t.locale, t.helpful),
    index('article_feedback_comments_idx').on(t.createdAt, t.collection, t.articleId, t.locale).where(sql`${t.comment} is not null`),
    check('article_feedback_collection_chk', sql`${t.collection} in ('faq', 'tutorials')`),
    check('article_feedback_locale_chk', sql`${t.locale} in ('fr', 'en')`),
    check('article_feedback_helpful_chk', sql`${t.helpful} in (0, 1)`),
    check(
      'article_feedback_comment_chk',
      sql`${t.comment} is null or (length(${t.comment}) between 1 and ${sql.raw(String(FEEDBACK_COMMENT_MAX))})`,
    ),
  ],
);

/**
 * Rate limits as a sliding log: one row per counted hit, so that "N in the last window" is
 * exact at every instant (no clock-aligned window whose edge forgets the hits before it).
 * Kept in the database, not in memory, so that several processes and servers count together;
 * a hit is only written while the bucket is under its limit, in one statement, so that racing
 * requests cannot overshoot it. Rows older than a day are swept.
 */
export const rateLimitHits = sqliteTable(
  'rate_limit_hits',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    bucket: text('bucket').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('rate_limit_hits_bucket_idx').on(t.bucket, t.at), index('rate_limit_hits_at_idx').on(t.at)],
);

/** One-off start-up work claimed by one process among several (demo seeding). */
export const startupClaims = sqliteTable('startup_claims', {
  name: text('name').primaryKey(),
  claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * The answer a client just gave on an article, so that a reload or a double click changes
 * that answer instead of counting twice. Keyed by a hash of client and article; rows older
 * than the window are deleted as new answers arrive.
 */
export const recentFeedback = sqliteTable(
  'recent_feedback',
  {
    key: text('key').primaryKey(),
    feedbackId: integer('feedback_id')
      .notNull()
      .references(() => articleFeedback.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('recent_feedback_created_idx').on(t.createdAt)],
);

/* ------------------------------------------------------------------------------------------
 * Residents' requests. Personal data (who asked, how to reach them) lives in `requesters`,
 * apart from the facts of the request, so that it can be erased at the end of the retention
 * period while the figures the evaluation needs remain.
 * ---------------------------------------------------------------------------------------- */

export * from './values';
import { AGENT_INTAKE_CHANNELS, AGENT_PROFILE_LIMITS, CHAT_EVENT_KINDS, CHAT_LIMITS, CHAT_STATES, AGENT_QUEUE_DENSITIES, AGENT_ROLES, ANSWER_CHANNELS, INTAKE_CHANNELS, QUICK_ANSWER_LIMITS, MESSAGE_AUTHORS, MESSAGE_CHANNELS, REQUEST_CATEGORIES, REQUEST_LIMITS, REQUEST_PRIORITIES, REQUEST_STATUSES, REQUESTER_KINDS } from './values';

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const requesters = sqliteTable(
  'requesters',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: REQUESTER_KINDS }).notNull(),
    /** The person the request is about (the resident). */
    name: text('name').notNull(),
    email: text('email'),
    phone: text('phone'),
    /** When someone helps: who they are and where from; they stated the person agreed. */
    helperName: text('helper_name'),
    helperOrganisation: text('helper_organisation'),
    personAgreed: integer('person_agreed', { mode: 'boolean' }),
    /** When a staff member of the authority asks: their service. */
    staffService: text('staff_service'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('requesters_email_idx').on(t.email),
    // A requester's other requests are looked up by email or phone on each request page.
    index('requesters_phone_idx').on(t.phone),
    check('requesters_kind_chk', sql`${t.kind} in (${inList(REQUESTER_KINDS)})`),
    check('requesters_helper_chk', sql`${t.kind} <> 'helper' or (${t.helperName} is not null and ${t.personAgreed} = 1)`),
    check('requesters_staff_chk', sql`${t.kind} <> 'staff' or ${t.staffService} is not null`),
  ],
);

export const requests = sqliteTable(
  'requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Nine digits, read over the phone in groups of three. */
    reference: text('reference').notNull().unique(),
    requesterId: integer('requester_id')
      .notNull()
      .references(() => requesters.id),
    status: text('status', { enum: REQUEST_STATUSES }).notNull(),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    procedure: text('procedure').notNull(),
    category: text('category', { enum: REQUEST_CATEGORIES }).notNull(),
    stage: text('stage'),
    description: text('description').notNull(),
    channel: text('channel', { enum: ANSWER_CHANNELS }).notNull(),
    /**
     * How the request arrived (INTAKE_CHANNELS; checked by the code that files it: a check
     * constraint added to an existing table would make SQLite copy the whole table).
     */
    intake: text('intake', { enum: INTAKE_CHANNELS }).notNull().default('web'),
    /** Callback slots, as a JSON array of slot codes. */
    callbackSlots: text('callback_slots', { mode: 'json' }).$type<string[]>(),
    /** Help place id (content/help-places) for an appointment. */
    helpPlace: text('help_place'),
    /** Accessibility needs for the answer, as a JSON array of need codes. */
    needs: text('needs', { mode: 'json' }).$type<string[]>().notNull(),
    needsLanguage: text('needs_language'),
    consentAt: integer('consent_at', { mode: 'timestamp_ms' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    /** When the first answer is due (working days; one week for accessibility barriers). */
    dueAt: integer('due_at', { mode: 'timestamp_ms' }).notNull(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    priority: text('priority', { enum: REQUEST_PRIORITIES }).notNull().default('normal'),
    assigneeId: integer('assignee_id').references((): AnySQLiteColumn => agents.id, { onDelete: 'set null' }),
    /** When an agent first answered the resident (a reply, a call or a visit recorded). */
    firstResponseAt: integer('first_response_at', { mode: 'timestamp_ms' }),
    /** When the request should be solved. */
    resolutionDueAt: integer('resolution_due_at', { mode: 'timestamp_ms' }),
    /** A duplicate closed in favour of another request. */
    mergedIntoId: integer('merged_into_id').references((): AnySQLiteColumn => requests.id, { onDelete: 'set null' }),
    /** The next deadline: the first answer until there is one, then the resolution. */
    /** When the request was last resolved or closed; cleared when it is reopened. */
    resolvedAt: integer('resolved_at', { mode: 'timestamp_ms' }),
    /**
     * Who asked (a copy of `requesters.kind`, which never changes): the reports count it without
     * reading personal data, and the figure stays when the requester is erased.
     */
    requesterKind: text('requester_kind', { enum: REQUESTER_KINDS }).notNull().default('resident'),
    /** When the personal data was removed (retention period over, or erased on request); the figures stay. */
    anonymizedAt: integer('anonymized_at', { mode: 'timestamp_ms' }),
    /** The procedure as the reports count it: case and surrounding spaces folded. */
    procedureKey: text('procedure_key').generatedAlwaysAs(sql`lower(trim(procedure))`, { mode: 'virtual' }),
    nextDueAt: integer('next_due_at', { mode: 'timestamp_ms' }).generatedAlwaysAs(
      sql`case when first_response_at is null then due_at else coalesce(resolution_due_at, due_at) end`,
      { mode: 'virtual' },
    ),
  },
  (t) => [
    index('requests_status_idx').on(t.status, t.dueAt),
    index('requests_assignee_idx').on(t.assigneeId, t.status),
    index('requests_next_due_idx').on(t.status, t.nextDueAt),
    index('requests_updated_idx').on(t.updatedAt),
    index('requests_category_idx').on(t.category, t.createdAt),
    index('requests_priority_idx').on(t.priority, t.createdAt),
    // A category and a priority chosen together (the agents' usual filter): counted and sorted by the last change from the index alone.
    index('requests_category_priority_idx').on(t.category, t.priority, t.createdAt, t.updatedAt),
    // The reports count events in a period (requests received, first answers given, requests
    // resolved, deadlines met) from these indexes alone, without reading the table's rows.
    index('requests_report_idx').on(t.createdAt, t.mergedIntoId, t.category, t.procedureKey, t.resolvedAt),
    // In the order the reports group requests by: counted without sorting, whatever the period.
    index('requests_groups_idx').on(t.category, t.channel, t.requesterKind, t.procedureKey, t.createdAt, t.mergedIntoId, t.resolvedAt),
    index('requests_first_response_idx').on(t.firstResponseAt, t.mergedIntoId, t.createdAt),
    // Requests received and first answered per intake channel, counted from the indexes alone
    // (channel first: one range per channel, grouped in the index's order, without sorting).
    index('requests_intake_idx').on(t.intake, t.createdAt, t.mergedIntoId),
    index('requests_intake_response_idx').on(t.intake, t.firstResponseAt, t.mergedIntoId, t.createdAt),
    index('requests_resolved_idx').on(t.resolvedAt, t.mergedIntoId, t.createdAt),
    index('requests_due_idx').on(t.dueAt, t.mergedIntoId, t.firstResponseAt, t.resolvedAt),
    index('requests_resolution_due_idx').on(t.resolutionDueAt, t.mergedIntoId, t.resolvedAt),
    check('requests_priority_chk', sql`${t.priority} in (${inList(REQUEST_PRIORITIES)})`),
    index('requests_created_idx').on(t.createdAt),
    index('requests_requester_idx').on(t.requesterId),
    // The requests merged into one, listed on its page (few: a partial index).
    // Closed requests not yet anonymised, in the order the retention job reaches them.
    index('requests_retention_idx').on(t.resolvedAt).where(sql`${t.anonymizedAt} is null`),
    index('requests_merged_into_idx').on(t.mergedIntoId).where(sql`${t.mergedIntoId} is not null`),
    check('requests_status_chk', sql`${t.status} in (${inList(REQUEST_STATUSES)})`),
    check('requests_category_chk', sql`${t.category} in (${inList(REQUEST_CATEGORIES)})`),
    check('requests_channel_chk', sql`${t.channel} in (${inList(ANSWER_CHANNELS)})`),
    check('requests_requester_kind_chk', sql`${t.requesterKind} in (${inList(REQUESTER_KINDS)})`),
    check('requests_locale_chk', sql`${t.locale} in ('fr', 'en')`),
    check('requests_reference_chk', sql`length(${t.reference}) = 9`),
    check('requests_description_chk', sql`length(${t.description}) between 1 and ${sql.raw(String(REQUEST_LIMITS.description))}`),
  ],
);

/**
 * Secrets of the private tracking links. Only the SHA-256 of a token is stored; asking for
 * the link again adds a token, so a link already in a mailbox keeps working.
 */
export const requestAccessTokens = sqliteTable(
  'request_access_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('request_access_tokens_request_idx').on(t.requestId)],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    author: text('author', { enum: MESSAGE_AUTHORS }).notNull(),
    authorName: text('author_name'),
    /** An agent's name as residents see it (their public name when the message was written). */
    publicName: text('public_name'),
    /** The agent who wrote it (agents are deactivated, never deleted). */
    agentId: integer('agent_id'),
    /** For an agent's message: written, or a phone call or visit recorded afterwards. */
    channel: text('channel', { enum: MESSAGE_CHANNELS }).notNull().default('web'),
    /** Internal notes are for agents only: never shown through a tracking link, never mailed. */
    internal: integer('internal', { mode: 'boolean' }).notNull(),
    body: text('body').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('messages_request_idx').on(t.requestId, t.createdAt),
    check('messages_author_chk', sql`${t.author} in (${inList(MESSAGE_AUTHORS)})`),
    check('messages_channel_chk', sql`${t.channel} in (${inList(MESSAGE_CHANNELS)})`),
    check('messages_internal_chk', sql`${t.author} = 'agent' or ${t.internal} = 0`),
    check('messages_body_chk', sql`length(${t.body}) <= ${sql.raw(String(REQUEST_LIMITS.message))}`),
  ],
);

/**
 * Help pages (FAQ entries, tutorials) an agent's public reply links to, read from the reply
 * when it is written: the reports say which pages answered which blocking situations.
 */
export const messageLinks = sqliteTable(
  'message_links',
  {
    messageId: integer('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    collection: text('collection', { enum: ['faq', 'tutorials'] }).notNull(),
    /** `fr/carte-refusee`, as the content collections name entries. */
    articleId: text('article_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.collection, t.articleId] }), index('message_links_request_idx').on(t.requestId)],
);

/**
 * A request being filled in, step by step, identified by the hash of a token kept in the
 * resident's cookie. Deleted a day after it was last touched; once sent, it points at the
 * request so that a second click or a reload shows the same confirmation.
 */
export const requestDrafts = sqliteTable(
  'request_drafts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tokenHash: text('token_hash').notNull().unique(),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    requestId: integer('request_id').references(() => requests.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('request_drafts_updated_idx').on(t.updatedAt)],
);

/**
 * Files, stored in the database so that every server sees them and a backup holds them.
 * A file belongs to a draft while the form is filled in, then to a request (and to the
 * message it came with, if any).
 */
export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id').references(() => requests.id, { onDelete: 'cascade' }),
    messageId: integer('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    draftId: integer('draft_id').references(() => requestDrafts.id, { onDelete: 'cascade' }),
    fileName: text('file_name').notNull(),
    /** Detected from the content, never taken from the name or the browser. */
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('attachments_request_idx').on(t.requestId),
    index('attachments_draft_idx').on(t.draftId),
    check('attachments_owner_chk', sql`${t.requestId} is not null or ${t.draftId} is not null`),
    check('attachments_size_chk', sql`${t.size} between 1 and ${sql.raw(String(REQUEST_LIMITS.fileBytes))}`),
  ],
);

export const statusHistory = sqliteTable(
  'status_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status', { enum: REQUEST_STATUSES }),
    toStatus: text('to_status', { enum: REQUEST_STATUSES }).notNull(),
    actor: text('actor', { enum: MESSAGE_AUTHORS }).notNull(),
    actorName: text('actor_name'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('status_history_request_idx').on(t.requestId, t.createdAt),
    check('status_history_to_chk', sql`${t.toStatus} in (${inList(REQUEST_STATUSES)})`),
  ],
);

/**
 * Every mail goes here first, then a sender delivers it over SMTP. A failed delivery is
 * retried later (with a growing delay) and never dropped; `lockedUntil` lets several servers
 * share the work without sending a mail twice.
 */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id').references(() => requests.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    status: text('status', { enum: ['pending', 'sent'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'timestamp_ms' }).notNull(),
    lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
    lastError: text('last_error'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    sentAt: integer('sent_at', { mode: 'timestamp_ms' }),
    /** The mail's Message-ID, fixed when it is queued so that every try sends the same one. */
    messageId: text('message_id'),
    /** Where the resident's answer goes: the connected mailbox, when there is one. */
    replyTo: text('reply_to'),
  },
  (t) => [
    index('mail_outbox_pending_idx').on(t.status, t.nextAttemptAt),
    index('mail_outbox_request_idx').on(t.requestId),
    check('mail_outbox_status_chk', sql`${t.status} in ('pending', 'sent')`),
  ],
);

/* ------------------------------------------------------------------------------------------
 * The agents' workspace: accounts, sessions in the Lucia design (only a hash of the token is
 * stored), one-time links (invitation, password reset), the audit log, saved replies, who is
 * looking at which request, and the settings administrators change.
 * ---------------------------------------------------------------------------------------- */

export const agents = sqliteTable(
  'agents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Lower-cased. */
    email: text('email').notNull(),
    name: text('name').notNull(),
    role: text('role', { enum: AGENT_ROLES }).notNull(),
    /** argon2id; null until the invitation is accepted. */
    passwordHash: text('password_hash'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull().default('fr'),
    /** The name residents see with the agent's replies; null: the first word of `name`. */
    publicName: text('public_name'),
    /** Added to replies with the {signature} placeholder of saved replies. */
    signature: text('signature'),
    /** How the agent reads the queues: one line per request, or more room. */
    queueDensity: text('queue_density', { enum: AGENT_QUEUE_DENSITIES }).notNull().default('compact'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('agents_email_idx').on(t.email),
    check('agents_public_name_chk', sql`${t.publicName} is null or length(${t.publicName}) between 1 and ${sql.raw(String(AGENT_PROFILE_LIMITS.publicName))}`),
    check('agents_signature_chk', sql`${t.signature} is null or length(${t.signature}) <= ${sql.raw(String(AGENT_PROFILE_LIMITS.signature))}`),
    check('agents_queue_density_chk', sql`${t.queueDensity} in (${inList(AGENT_QUEUE_DENSITIES)})`),
    check('agents_role_chk', sql`${t.role} in (${inList(AGENT_ROLES)})`),
    check('agents_email_chk', sql`${t.email} = lower(${t.email}) and length(${t.email}) between 3 and 254`),
    check('agents_name_chk', sql`length(${t.name}) between 1 and 120`),
  ],
);

export const agentSessions = sqliteTable(
  'agent_sessions',
  {
    /** SHA-256 (hex) of the token in the cookie. */
    id: text('id').primaryKey(),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('agent_sessions_agent_idx').on(t.agentId), index('agent_sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Browsers an agent has signed in from (OWASP's device cookies): failed sign-ins from
 * elsewhere never lock the agent out of these. Only the token's SHA-256 is stored.
 */
export const agentDevices = sqliteTable(
  'agent_devices',
  {
    /** SHA-256 (hex) of the token in the cookie. */
    id: text('id').primaryKey(),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('agent_devices_agent_idx').on(t.agentId), index('agent_devices_expires_idx').on(t.expiresAt)],
);

/** One-time links: an invitation to choose a password, or a password reset. */
export const agentTokens = sqliteTable(
  'agent_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['invite', 'reset'] }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('agent_tokens_agent_idx').on(t.agentId), check('agent_tokens_purpose_chk', sql`${t.purpose} in ('invite', 'reset')`)],
);

/** Who did what and when. Rows are only ever added. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
    agentId: integer('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    /** Kept as written at the time, so the log still reads after an account is gone. */
    actorName: text('actor_name'),
    action: text('action').notNull(),
    requestId: integer('request_id').references(() => requests.id, { onDelete: 'set null' }),
    /** What changed, as JSON (`{ "from": "new", "to": "open" }`); never a password or a token. */
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_request_idx').on(t.requestId), index('audit_log_agent_idx').on(t.agentId, t.at)],
);

export const savedReplies = sqliteTable(
  'saved_replies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    check('saved_replies_title_chk', sql`length(${t.title}) between 1 and 120`),
    check('saved_replies_body_chk', sql`length(${t.body}) between 1 and ${sql.raw(String(REQUEST_LIMITS.message))}`),
  ],
);

/** The last time each agent opened a request: two agents on one request are warned. */
export const requestViews = sqliteTable(
  'request_views',
  {
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.agentId] })],
);

/** Settings administrators change in the workspace (due-date targets, working hours), as JSON. */
export const workspaceSettings = sqliteTable('workspace_settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
});

/**
 * A question answered on the spot, on the phone or at the counter: no request was opened, but
 * the reports count it beside the requests, per channel. No personal data: the channel, the kind
 * of problem, the procedure when said, a short note.
 */
export const quickAnswers = sqliteTable(
  'quick_answers',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel', { enum: AGENT_INTAKE_CHANNELS }).notNull(),
    category: text('category', { enum: REQUEST_CATEGORIES }).notNull(),
    procedure: text('procedure'),
    note: text('note'),
    agentId: integer('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('quick_answers_created_idx').on(t.createdAt, t.channel, t.category),
    // The reports count them per channel over up to two years: one range per channel, no sorting.
    index('quick_answers_channel_idx').on(t.channel, t.createdAt),
    check('quick_answers_channel_chk', sql`${t.channel} in (${inList(AGENT_INTAKE_CHANNELS)})`),
    check('quick_answers_category_chk', sql`${t.category} in (${inList(REQUEST_CATEGORIES)})`),
    check('quick_answers_procedure_chk', sql`${t.procedure} is null or length(${t.procedure}) between 1 and ${sql.raw(String(REQUEST_LIMITS.procedure))}`),
    check('quick_answers_note_chk', sql`${t.note} is null or length(${t.note}) between 1 and ${sql.raw(String(QUICK_ANSWER_LIMITS.note))}`),
  ],
);

/**
 * The mailbox whose messages become requests (one row, id 1): how to reach it, set by an
 * administrator, and where the reading stands. `lastUid` moves only once the messages up to it
 * are stored, so an outage or a crash loses nothing; `lockedUntil` lets one server read at a time.
 */
export const MAIL_INTAKE_SECURITY = ['tls', 'starttls', 'none'] as const;
export type MailIntakeSecurity = (typeof MAIL_INTAKE_SECURITY)[number];
export const mailIntake = sqliteTable(
  'mail_intake',
  {
    id: integer('id').primaryKey(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(false),
    host: text('host').notNull(),
    port: integer('port').notNull(),
    security: text('security', { enum: MAIL_INTAKE_SECURITY }).notNull(),
    username: text('username').notNull(),
    /** Needed to sign in again at each reading; the database file is already kept secret. */
    password: text('password').notNull(),
    folder: text('folder').notNull().default('INBOX'),
    /** The mailbox's own address: residents' answers go there; mail from it is never read as a request. */
    address: text('address').notNull(),
    uidValidity: text('uid_validity'),
    lastUid: integer('last_uid').notNull().default(0),
    lockedUntil: integer('locked_until', { mode: 'timestamp_ms' }),
    lastCheckAt: integer('last_check_at', { mode: 'timestamp_ms' }),
    lastSuccessAt: integer('last_success_at', { mode: 'timestamp_ms' }),
    lastError: text('last_error'),
    failures: integer('failures').notNull().default(0),
    /** The message that could not be stored at the last tries (after three, it is set aside). */
    failingUid: integer('failing_uid'),
    nextCheckAt: integer('next_check_at', { mode: 'timestamp_ms' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [check('mail_intake_single_chk', sql`${t.id} = 1`), check('mail_intake_security_chk', sql`${t.security} in ('tls', 'starttls', 'none')`)],
);

export const INBOUND_OUTCOMES = ['request', 'reply', 'ignored'] as const;
/**
 * Each message read from the mailbox, once: what became of it (a new request, an answer added to
 * one, or ignored and why). The key (its Message-ID) makes reading it twice harmless.
 */
export const inboundMails = sqliteTable(
  'inbound_mails',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageKey: text('message_key').notNull(),
    fromAddress: text('from_address'),
    outcome: text('outcome', { enum: INBOUND_OUTCOMES }).notNull(),
    /** Why it was ignored: auto-reply, loop, bounce, flood. */
    reason: text('reason'),
    requestId: integer('request_id').references(() => requests.id, { onDelete: 'cascade' }),
    receivedAt: integer('received_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('inbound_mails_key_idx').on(t.messageKey),
    index('inbound_mails_request_idx').on(t.requestId),
    index('inbound_mails_from_idx').on(t.fromAddress, t.receivedAt),
    check('inbound_mails_outcome_chk', sql`${t.outcome} in ('request', 'reply', 'ignored')`),
  ],
);

/**
 * The Message-IDs of a request's mails, sent and received: an answer naming one of them in
 * `In-Reply-To` or `References` joins that request.
 */
export const mailThreads = sqliteTable(
  'mail_threads',
  {
    messageId: text('message_id').primaryKey(),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('mail_threads_request_idx').on(t.requestId)],
);

export const ANNOUNCEMENT_LIMITS = { title: 150, body: 2000 } as const;
/**
 * What the authority announces to residents ("From 5 January, canteen registration is online"):
 * shown on the home page between its dates (Paris days, inclusive), listed, and in an Atom feed.
 */
export const announcements = sqliteTable(
  'announcements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** First and last day shown, YYYY-MM-DD; no last day: until removed. */
    startsOn: text('starts_on').notNull(),
    endsOn: text('ends_on'),
    createdBy: integer('created_by').references(() => agents.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('announcements_locale_idx').on(t.locale, t.startsOn),
    check('announcements_locale_chk', sql`${t.locale} in ('fr', 'en')`),
    check('announcements_title_chk', sql`length(${t.title}) between 1 and ${sql.raw(String(ANNOUNCEMENT_LIMITS.title))}`),
    check('announcements_body_chk', sql`length(${t.body}) between 1 and ${sql.raw(String(ANNOUNCEMENT_LIMITS.body))}`),
    check('announcements_dates_chk', sql`${t.endsOn} is null or ${t.endsOn} >= ${t.startsOn}`),
  ],
);

export const KNOWN_PROBLEM_LIMITS = { title: 150, procedure: 200, keywords: 300, meanwhile: 2000, message: 5000, contact: 254 } as const;
export const KNOWN_PROBLEM_STATUSES = ['open', 'closed'] as const;
/**
 * A problem the support team knows about ("Online canteen payment is unavailable"): shown to
 * residents while it is open (home, topic and help pages of its topic, the request form when
 * the procedure typed matches), with the requests it caused linked to it so that one answer
 * reaches them all. English wording is optional (English pages show the French otherwise).
 */
export const knownProblems = sqliteTable(
  'known_problems',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    titleEn: text('title_en'),
    /** The procedure as residents name it; the request form matches what they type against it. */
    procedure: text('procedure').notNull(),
    /** Other wordings, comma-separated ("carte refusée, paiement cantine"). */
    keywords: text('keywords').notNull().default(''),
    /** A topic's slug (content/topics): its topic page and its help pages show the notice. */
    topic: text('topic'),
    meanwhile: text('meanwhile').notNull().default(''),
    meanwhileEn: text('meanwhile_en'),
    /** The day the team expects it fixed (YYYY-MM-DD), when it says. */
    expectedOn: text('expected_on'),
    status: text('status', { enum: KNOWN_PROBLEM_STATUSES }).notNull().default('open'),
    openedAt: integer('opened_at', { mode: 'timestamp_ms' }).notNull(),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
    createdBy: integer('created_by').references(() => agents.id, { onDelete: 'set null' }),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('known_problems_status_idx').on(t.status, t.openedAt),
    check('known_problems_status_chk', sql`${t.status} in ('open', 'closed')`),
    check('known_problems_title_chk', sql`length(${t.title}) between 1 and ${sql.raw(String(KNOWN_PROBLEM_LIMITS.title))}`),
    check('known_problems_procedure_chk', sql`length(${t.procedure}) between 1 and ${sql.raw(String(KNOWN_PROBLEM_LIMITS.procedure))}`),
  ],
);

/** The requests a known problem caused: answered together. */
export const knownProblemRequests = sqliteTable(
  'known_problem_requests',
  {
    problemId: integer('problem_id')
      .notNull()
      .references(() => knownProblems.id, { onDelete: 'cascade' }),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    linkedAt: integer('linked_at', { mode: 'timestamp_ms' }).notNull(),
    linkedBy: integer('linked_by').references(() => agents.id, { onDelete: 'set null' }),
  },
  (t) => [primaryKey({ columns: [t.problemId, t.requestId] }), index('known_problem_requests_request_idx').on(t.requestId)],
);

/**
 * Residents who asked to be told when a known problem is fixed, by email (mailed at closing) or
 * by phone (called by an agent, then erased). Nothing else is kept; rows go with the problem's
 * closing (email: once mailed; phone: once called, or 30 days after the closing).
 */
export const knownProblemSubscriptions = sqliteTable(
  'known_problem_subscriptions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    problemId: integer('problem_id')
      .notNull()
      .references(() => knownProblems.id, { onDelete: 'cascade' }),
    email: text('email'),
    phone: text('phone'),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('known_problem_subscriptions_email_idx').on(t.problemId, t.email),
    uniqueIndex('known_problem_subscriptions_phone_idx').on(t.problemId, t.phone),
    check('known_problem_subscriptions_contact_chk', sql`(${t.email} is null) <> (${t.phone} is null)`),
  ],
);

export const TRAINING_LIMITS = { title: 150, description: 1000, steps: 30 } as const;
/**
 * A training path for the authority's staff ("Instruire les inscriptions à la cantine"):
 * internal help pages to read in order, each agent's progress kept.
 */
export const trainingPaths = sqliteTable(
  'training_paths',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    createdBy: integer('created_by').references(() => agents.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [check('training_paths_title_chk', sql`length(${t.title}) between 1 and ${sql.raw(String(TRAINING_LIMITS.title))}`)],
);

/** The pages of a path, in order: an internal help entry by its key (`faq:fr/slug`, `tutorial:fr/slug`). */
export const trainingSteps = sqliteTable(
  'training_steps',
  {
    pathId: integer('path_id')
      .notNull()
      .references(() => trainingPaths.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    entryKey: text('entry_key').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pathId, t.position] }), uniqueIndex('training_steps_entry_idx').on(t.pathId, t.entryKey)],
);

/** What each agent has read of each path. */
export const trainingProgress = sqliteTable(
  'training_progress',
  {
    agentId: integer('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
    pathId: integer('path_id')
      .notNull()
      .references(() => trainingPaths.id, { onDelete: 'cascade' }),
    entryKey: text('entry_key').notNull(),
    doneAt: integer('done_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.pathId, t.entryKey] }), index('training_progress_path_idx').on(t.pathId)],
);

/* ------------------------------------------------------------------------------------------
 * Evaluation: what residents thought of the answer they got, searches that found nothing,
 * the authority's own surveys. Nothing here identifies who answered.
 * ---------------------------------------------------------------------------------------- */

export const SATISFACTION_LEVELS = ['good', 'average', 'bad'] as const;
export type SatisfactionLevel = (typeof SATISFACTION_LEVELS)[number];
export const EVALUATION_LIMITS = { comment: 1000, query: 100, surveyTitle: 120, surveyIntro: 2000, audience: 200, question: 300, choice: 120, choices: 8, questions: 20, answer: 2000 } as const;

/** Asked once a request is resolved: one answer per request, given through its private link. */
export const satisfaction = sqliteTable(
  'satisfaction',
  {
    requestId: integer('request_id')
      .primaryKey()
      .references(() => requests.id, { onDelete: 'cascade' }),
    level: text('level', { enum: SATISFACTION_LEVELS }).notNull(),
    /** How clear the answer was, 1 (not at all) to 5 (very). */
    clarity: integer('clarity'),
    comment: text('comment'),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    /** Set once the second step (clarity, comment) is answered or skipped: the answer is final. */
    completedAt: integer('completed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('satisfaction_created_idx').on(t.createdAt),
    check('satisfaction_level_chk', sql`${t.level} in (${inList(SATISFACTION_LEVELS)})`),
    check('satisfaction_clarity_chk', sql`${t.clarity} is null or ${t.clarity} between 1 and 5`),
    check('satisfaction_comment_chk', sql`${t.comment} is null or length(${t.comment}) between 1 and ${sql.raw(String(EVALUATION_LIMITS.comment))}`),
  ],
);

/** A search that found nothing: the words only (normalised for counting), no identifier. */
export const searchMisses = sqliteTable(
  'search_misses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    query: text('query').notNull(),
    /** Lower case, without accents or repeated spaces: "Carte  Bancaire" and "carte bancaire" count together. */
    normalized: text('normalized').notNull(),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('search_misses_created_idx').on(t.createdAt),
    check('search_misses_query_chk', sql`length(${t.query}) between 1 and ${sql.raw(String(EVALUATION_LIMITS.query))}`),
    check('search_misses_locale_chk', sql`${t.locale} in ('fr', 'en')`),
  ],
);

export const SURVEY_STATUSES = ['draft', 'published', 'closed'] as const;
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];
export const SURVEY_AUDIENCES = ['agents', 'residents', 'partners', 'other'] as const;
export type SurveyAudience = (typeof SURVEY_AUDIENCES)[number];
export const QUESTION_KINDS = ['scale', 'yes-no', 'choice', 'text'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** An evaluation survey an administrator publishes at a shareable link. */
export const surveys = sqliteTable(
  'surveys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The public link's last part: random, so that a survey cannot be guessed before it is shared. */
    slug: text('slug').notNull().unique(),
    title: text('title').notNull(),
    intro: text('intro').notNull().default(''),
    audience: text('audience', { enum: SURVEY_AUDIENCES }).notNull(),
    /** Who exactly: "agents of the canteen service", "families who registered a child online"… */
    audienceDetail: text('audience_detail').notNull().default(''),
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    status: text('status', { enum: SURVEY_STATUSES }).notNull(),
    createdBy: integer('created_by').references(() => agents.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    closedAt: integer('closed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    check('surveys_status_chk', sql`${t.status} in (${inList(SURVEY_STATUSES)})`),
    check('surveys_audience_chk', sql`${t.audience} in (${inList(SURVEY_AUDIENCES)})`),
    check('surveys_title_chk', sql`length(${t.title}) between 1 and ${sql.raw(String(EVALUATION_LIMITS.surveyTitle))}`),
  ],
);

export const surveyQuestions = sqliteTable(
  'survey_questions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    kind: text('kind', { enum: QUESTION_KINDS }).notNull(),
    label: text('label').notNull(),
    /** The choices offered, for a `choice` question. */
    choices: text('choices', { mode: 'json' }).$type<string[]>().notNull(),
    required: integer('required', { mode: 'boolean' }).notNull(),
  },
  (t) => [
    index('survey_questions_survey_idx').on(t.surveyId, t.position),
    check('survey_questions_kind_chk', sql`${t.kind} in (${inList(QUESTION_KINDS)})`),
    check('survey_questions_label_chk', sql`length(${t.label}) between 1 and ${sql.raw(String(EVALUATION_LIMITS.question))}`),
  ],
);

/** One person's answers. Only the day is kept, so that an answer cannot be matched to a visit. */
export const surveyResponses = sqliteTable(
  'survey_responses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    surveyId: integer('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    day: text('day').notNull(),
  },
  (t) => [index('survey_responses_survey_idx').on(t.surveyId)],
);

export const surveyAnswers = sqliteTable(
  'survey_answers',
  {
    responseId: integer('response_id')
      .notNull()
      .references(() => surveyResponses.id, { onDelete: 'cascade' }),
    questionId: integer('question_id')
      .notNull()
      .references(() => surveyQuestions.id, { onDelete: 'cascade' }),
    /** "1"–"5", "yes"/"no", the choice's index, or the text written. */
    value: text('value').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.responseId, t.questionId] }),
    index('survey_answers_question_idx').on(t.questionId),
    check('survey_answers_value_chk', sql`length(${t.value}) between 1 and ${sql.raw(String(EVALUATION_LIMITS.answer))}`),
  ],
);

/* ------------------------------------------------------------------------------------------
 * Help content written in the workspace. An entry (an FAQ answer, a tutorial, a topic, a
 * glossary term, a help place) is a series of immutable revisions, each the whole text of the
 * entry as its file in content/ holds it (frontmatter and markdown, or YAML). The entry points
 * at its head revision (the latest) and at the one residents see. content/ is the seed and the
 * interchange format (npm run content:export / content:import).
 * ---------------------------------------------------------------------------------------- */

export const HELP_KINDS = ['faq', 'tutorial', 'topic', 'glossary', 'place'] as const;
export type HelpKind = (typeof HELP_KINDS)[number];
/** Where the head revision stands: written, submitted for review, published, withdrawn. */
export const HELP_STATES = ['draft', 'review', 'published', 'withdrawn'] as const;
export type HelpState = (typeof HELP_STATES)[number];
export const HELP_ORIGINS = ['seed', 'import', 'editor', 'restore'] as const;
/** A revision's whole text, as its file holds it. */
export const HELP_SOURCE_MAX = 200_000;

export const helpEntries = sqliteTable(
  'help_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: HELP_KINDS }).notNull(),
    /** Help places are one file for both languages: their locale is 'fr'. */
    locale: text('locale', { enum: ['fr', 'en'] }).notNull(),
    slug: text('slug').notNull(),
    state: text('state', { enum: HELP_STATES }).notNull(),
    headRevisionId: integer('head_revision_id').references((): AnySQLiteColumn => helpRevisions.id),
    publishedRevisionId: integer('published_revision_id').references((): AnySQLiteColumn => helpRevisions.id),
    /** The revision that content/ holds since the last export or import: an import over a later one is refused. */
    exportedRevisionId: integer('exported_revision_id').references((): AnySQLiteColumn => helpRevisions.id),
    /** For an English entry, the French slug it translates (read from the published revision). */
    translationOf: text('translation_of'),
    /** When the published revision was published: a French entry newer than its translation's is "out of date". */
    publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    uniqueIndex('help_entries_slug_idx').on(t.kind, t.locale, t.slug),
    index('help_entries_state_idx').on(t.state, t.updatedAt),
    check('help_entries_kind_chk', sql`${t.kind} in (${inList(HELP_KINDS)})`),
    check('help_entries_state_chk', sql`${t.state} in (${inList(HELP_STATES)})`),
    check('help_entries_locale_chk', sql`${t.locale} in ('fr', 'en')`),
    check('help_entries_slug_chk', sql`length(${t.slug}) between 1 and 150`),
  ],
);

export const helpRevisions = sqliteTable(
  'help_revisions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entryId: integer('entry_id')
      .notNull()
      .references(() => helpEntries.id, { onDelete: 'cascade' }),
    /** The revision the author started from: a save whose base is not the head is a conflict. */
    baseRevisionId: integer('base_revision_id').references((): AnySQLiteColumn => helpRevisions.id),
    source: text('source').notNull(),
    /** The markdown body as HTML, sanitised: rendered once, when the revision is written. */
    html: text('html'),
    authorId: integer('author_id').references(() => agents.id, { onDelete: 'set null' }),
    /** Kept as written at the time, like the audit log. */
    authorName: text('author_name'),
    note: text('note'),
    origin: text('origin', { enum: HELP_ORIGINS }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [
    index('help_revisions_entry_idx').on(t.entryId, t.id),
    check('help_revisions_source_chk', sql`length(${t.source}) between 1 and ${sql.raw(String(HELP_SOURCE_MAX))}`),
    check('help_revisions_note_chk', sql`${t.note} is null or length(${t.note}) <= 500`),
    check('help_revisions_origin_chk', sql`${t.origin} in (${inList(HELP_ORIGINS)})`),
  ],
);

/**
 * What residents see changed, in order: each server reads the rows after the last it saw
 * (every second or so) and drops its cached pages and search index when there are any.
 */
export const helpChanges = sqliteTable('help_changes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  entryId: integer('entry_id').references(() => helpEntries.id, { onDelete: 'set null' }),
  /** Cache tags of the pages that change (JSON array). */
  tags: text('tags', { mode: 'json' }).$type<string[]>().notNull(),
  at: integer('at', { mode: 'timestamp_ms' }).notNull(),
});

/** Images uploaded from the editor: re-encoded, without metadata, named by their content's hash. */
export const helpImages = sqliteTable(
  'help_images',
  {
    /** SHA-256 (hex) of the stored bytes. */
    id: text('id').primaryKey(),
    mime: text('mime').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    uploadedBy: integer('uploaded_by').references(() => agents.id, { onDelete: 'set null' }),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [check('help_images_mime_chk', sql`${t.mime} in ('image/webp', 'image/png')`)],
);

/**
 * Search indexes built by a server (src/lib/server/help/search-index.ts), kept so that another
 * server on the same database fetches one instead of building it: a new machine starts with
 * its index in the time it takes to copy it. The name is the index's fingerprint; a row is
 * claimed ('building') by the server that builds it, then 'ready' once its files are stored.
 */
export const searchIndexes = sqliteTable(
  'search_indexes',
  {
    name: text('name').primaryKey(),
    state: text('state', { enum: ['building', 'ready'] }).notNull(),
    claimedAt: integer('claimed_at', { mode: 'timestamp_ms' }).notNull(),
    readyAt: integer('ready_at', { mode: 'timestamp_ms' }),
  },
  (t) => [check('search_indexes_state_chk', sql`${t.state} in ('building', 'ready')`)],
);

/** The files of a stored search index, by their path under its folder. */
export const searchIndexFiles = sqliteTable(
  'search_index_files',
  {
    indexName: text('index_name')
      .notNull()
      .references(() => searchIndexes.name, { onDelete: 'cascade' }),
    path: text('path').notNull(),
    bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.indexName, t.path] })],
);

/**
 * Whether an agent answers live chats: the switch they set, the last sign of life of their
 * workspace (a heartbeat; a closed tab stops it) and how many chats they take at once.
 */
export const agentPresence = sqliteTable(
  'agent_presence',
  {
    agentId: integer('agent_id')
      .primaryKey()
      .references(() => agents.id, { onDelete: 'cascade' }),
    available: integer('available', { mode: 'boolean' }).notNull(),
    heartbeatAt: integer('heartbeat_at', { mode: 'timestamp_ms' }).notNull(),
    places: integer('places').notNull().default(CHAT_LIMITS.defaultPlaces),
  },
  (t) => [check('agent_presence_places_chk', sql`${t.places} between 1 and ${sql.raw(String(CHAT_LIMITS.maxPlaces))}`)],
);

/** A live chat: a request whose conversation started in the chat page (one row per request). */
export const chats = sqliteTable(
  'chats',
  {
    requestId: integer('request_id')
      .primaryKey()
      .references(() => requests.id, { onDelete: 'cascade' }),
    state: text('state', { enum: CHAT_STATES }).notNull(),
    /** The agent answering it (none while it waits). */
    agentId: integer('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    acceptedAt: integer('accepted_at', { mode: 'timestamp_ms' }),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('chats_state_idx').on(t.state, t.startedAt), index('chats_agent_idx').on(t.agentId, t.state), check('chats_state_chk', sql`${t.state} in (${inList(CHAT_STATES)})`)],
);

/**
 * What happened in the chats, in order: each process reads the events after its cursor a few
 * times a second and hands them to the pages it streams to (no sticky sessions, no other
 * service); a reconnecting page asks for those after the last it received (Last-Event-ID).
 */
export const chatEvents = sqliteTable(
  'chat_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestId: integer('request_id')
      .notNull()
      .references(() => requests.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: CHAT_EVENT_KINDS }).notNull(),
    messageId: integer('message_id').references(() => messages.id, { onDelete: 'cascade' }),
    at: integer('at', { mode: 'timestamp_ms' }).notNull(),
  },
  (t) => [index('chat_events_request_idx').on(t.requestId, t.id), check('chat_events_kind_chk', sql`${t.kind} in (${inList(CHAT_EVENT_KINDS)})`)],
);
