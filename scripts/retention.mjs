// `npm run retention`: applies the retention periods now (the server also does at start-up and
// every day): anonymises the requests closed longer ago than their period, deletes old sent
// mails and audit entries, clears old comments. Prints what it did, in counts only.
import { createDatabaseClient, databaseUrl } from '../db/connection.mjs';
import { applyRetention, loadRetentionPolicy } from '../db/retention.mjs';
import { runMigrations } from './migrate.mjs';

try {
  const policy = loadRetentionPolicy();
  await runMigrations();
  const client = createDatabaseClient(databaseUrl());
  try {
    const done = await applyRetention(client, policy);
    console.log(
      `Retention applied (requests ${policy.requestMonths} months after closing, sent mails ${policy.sentMailDays} days, audit log ${policy.auditLogMonths} months, comments ${policy.feedbackCommentMonths} months): ` +
        `${done.requests} requests anonymised, ${done.mails} mails, ${done.auditEntries} audit entries deleted, ${done.comments} comments cleared.`,
    );
  } finally {
    client.close();
  }
} catch (error) {
  console.error(`Retention failed: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
