/**
 * What a server process does once before it serves its first request, apart from the data
 * layer: in demo mode (GUICHET_DEMO=1, what `npm start` sets), an empty database gets example
 * requests. Several processes share one database, so the work is claimed in the database
 * (`startup_claims`) and done by the first process only.
 */
import { count, eq } from 'drizzle-orm';
import { requests, startupClaims } from '../../../db/schema';
import { type Db, getDb } from './db';
import { contentDir } from '../content-paths';
import { followPublishedHelp } from './help/search-index';
import { seedHelpContent } from './help/store';
import { requestSettings } from './requests/settings';

let done: Promise<void> | undefined;

const claim = async (db: Db, name: string) =>
  (await db.insert(startupClaims).values({ name, claimedAt: new Date() }).onConflictDoNothing().returning()).length > 0;

const claimed = async (db: Db, name: string) =>
  (await db.select({ name: startupClaims.name }).from(startupClaims).where(eq(startupClaims.name, name))).length > 0;

async function seedDemoOnce(db: Db) {
  if (await claimed(db, 'demo-seed-done')) return;
  // Another process is adding them: wait for it, so that no page shows half the demo.
  if (await claimed(db, 'demo-seed')) {
    for (let waited = 0; waited < 60_000 && !(await claimed(db, 'demo-seed-done')); waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    return;
  }
  // A database that already holds requests (real ones, or a demo from before) is left alone.
  const [existing] = await db.select({ n: count() }).from(requests);
  if ((existing?.n ?? 0) > 0) return;
  if (!(await claim(db, 'demo-seed'))) return seedDemoOnce(db);
  const { seedDemo } = await import('../../../db/seed');
  const seeded = await seedDemo(db, await requestSettings());
  if (seeded > 0) console.log(`Demo mode: ${seeded} example requests added to the empty database.`);
  await claim(db, 'demo-seed-done');
}

/**
 * The help content: an empty database is filled from content/ (by one process; the others
 * wait). The seed is one transaction and adds nothing to a database that holds entries, so a
 * process that finds the claim left by one that died takes the work over.
 */
async function seedHelpOnce(db: Db) {
  if (await claimed(db, 'help-seed-done')) return;
  if (!(await claim(db, 'help-seed'))) {
    for (let waited = 0; waited < 60_000; waited += 100) {
      if (await claimed(db, 'help-seed-done')) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const added = await seedHelpContent(db, contentDir());
  if (added > 0) console.log(`Help content: ${added} entries added from ${contentDir()} to the empty database.`);
  await claim(db, 'help-seed-done');
}

/** Resolves once this process is ready to serve; a failure is tried again at the next request. */
export function startUp(): Promise<void> {
  done ??= (async () => {
    const db = await getDb();
    await seedHelpOnce(db);
    // The search index of what is published: built (or picked up) in the background.
    void followPublishedHelp().catch((error: unknown) => console.error('search index', error));
    if (process.env.GUICHET_DEMO === '1') await seedDemoOnce(db);
  })().catch((error: unknown) => {
    done = undefined;
    throw error;
  });
  return done;
}
