// `npm run content:export [-- --dir content]` writes the published help content to its files
// (an entry unchanged since its file was written keeps the same bytes), so that a git-based
// workflow can follow the workspace. `npm run content:import [-- --dir content] [--force]`
// brings the files in as new published revisions; it refuses to overwrite an entry changed in
// the workspace since the last export or import unless --force, and a file that fails the
// content checks stops the whole import (nothing is written).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDb, migrateDb } from '../src/lib/server/db';
import { formatProblems } from '../src/lib/server/help/check-files';
import { exportHelpContent, importHelpContent, seedHelpContent } from '../src/lib/server/help/store';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { dir: { type: 'string', default: process.env.GUICHET_CONTENT_DIR ?? 'content' }, force: { type: 'boolean', default: false } },
});
const command = positionals[0];
const root = resolve(values.dir);
const db = openDb();
await migrateDb(db);

if (command === 'export') {
  const { written, unchanged, removed } = await exportHelpContent(db, root);
  console.log(`Exported to ${root}: ${written} files written, ${unchanged} unchanged, ${removed} removed (no longer published).`);
} else if (command === 'import') {
  const seeded = await seedHelpContent(db, root);
  if (seeded > 0) {
    console.log(`The database held no help content: ${seeded} entries added from ${root}.`);
  } else {
    const result = await importHelpContent(db, root, { force: values.force });
    if (result.problems.length > 0) {
      console.error(`Nothing was imported: fix these files first.\n${formatProblems(result.problems)}`);
      process.exitCode = 1;
    } else {
      console.log(`Imported from ${root}: ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged.`);
    }
    if (result.conflicts.length > 0) {
      console.error(`Not imported, changed in the workspace since the last export (export first, or run again with --force to overwrite):\n- ${result.conflicts.join('\n- ')}`);
      process.exitCode = 1;
    }
  }
} else {
  console.error('Usage: npm run content:export | npm run content:import [-- --force] [--dir content]');
  process.exitCode = 2;
}
