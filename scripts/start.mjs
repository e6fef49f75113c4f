// `npm start`: builds the portal when the sources changed since the last build, then serves it
// with scripts/serve.mjs (which applies the database migrations first).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const entry = 'dist/server/entry.mjs';
const sources = ['src', 'content', 'public', 'db/migrations', 'astro.config.mjs', 'package-lock.json'];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestChange(join(path, name))), stat.mtimeMs);
}

const needsBuild = process.argv.includes('--build') || !existsSync(entry) || newestChange(entry) < Math.max(...sources.map(newestChange));
if (needsBuild) {
  console.log('Building the portal (help pages and search index)…');
  const build = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
    stdio: 'inherit',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// `npm start` is the demo: an empty database gets example requests (GUICHET_DEMO=0 to opt out).
process.env.GUICHET_DEMO ??= '1';
process.env.HOST ??= 'localhost';
process.env.PORT ??= '4321';

// Say plainly when the port is taken, rather than with the server's stack trace.
const free = await new Promise((resolve) => {
  const probe = createServer()
    .once('error', () => resolve(false))
    .once('listening', () => probe.close(() => resolve(true)))
    .listen(Number(process.env.PORT), process.env.HOST);
});
if (!free) {
  console.error(`Port ${process.env.PORT} on ${process.env.HOST} is already in use: stop the program using it, or choose another port, e.g. PORT=4322 npm start`);
  process.exit(1);
}
const shownHost = process.env.HOST === '0.0.0.0' || process.env.HOST === '::' ? 'localhost' : process.env.HOST;
console.log(`Guichet is starting on http://${shownHost}:${process.env.PORT}/ (Ctrl+C to stop)`);
console.log(
  process.env.GUICHET_DEMO === '1'
    ? `Agents' workspace: http://${shownHost}:${process.env.PORT}/agent/ (demo mode: the sign-in page lists the demo accounts)`
    : `Agents' workspace: http://${shownHost}:${process.env.PORT}/agent/ (first administrator: npm run agent:create -- --email you@example.fr --admin)`,
);
await import('./serve.mjs');
