// What the server benchmarks share: a free port, percentiles, a build in a throwaway copy of
// the project, and waiting for the server to answer.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { copyProjectTo, projectRoot } from '../scripts/project-copy.mjs';

export const freePort = () =>
  new Promise((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => done(port));
    });
  });

/** The p-th percentile of numbers sorted in increasing order. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** Copies the project to `dir` (emptied first) and builds it there, with `env` at build time. */
export function buildCopy(dir, env = {}) {
  rmSync(dir, { recursive: true, force: true });
  copyProjectTo(dir);
  console.log('Building the portal in a throwaway copy…');
  const build = spawnSync(process.execPath, [join(projectRoot, 'node_modules/astro/bin/astro.mjs'), 'build'], { cwd: dir, env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...env }, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed:\n${build.stderr.slice(-3000)}`);
}

/** Resolves once `url` answers, or fails after about twenty seconds. */
export async function waitForServer(url) {
  for (let i = 0; ; i += 1) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (i > 200) throw new Error('the server did not start');
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Signs an agent in through the sign-in form; returns the session cookie. */
export async function signInAgent(origin, email, password) {
  const response = await fetch(`${origin}/agent/connexion/?_action=agent.signIn`, {
    method: 'POST',
    headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, retour: '/agent/' }),
    redirect: 'manual',
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  return cookie;
}

/** GETs `path` with the cookie, as a browser would; fails unless 200; returns the time and the body. */
export async function timedGet(origin, cookie, path) {
  const start = performance.now();
  const response = await fetch(`${origin}${path}`, { headers: { Cookie: cookie }, redirect: 'manual' });
  const body = await response.text();
  const ms = performance.now() - start;
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  return { ms, body };
}

/**
 * Times each scenario (`path(i)` gives the i-th address) `runs` times, one request at a time,
 * after `warmUp` untimed requests each, and prints a markdown table of p50, p99 and the worst
 * time against `targetMs` (p99). Returns whether every p99 met the target.
 */
export async function timeScenarios(origin, cookie, scenarios, { runs, warmUp, targetMs, digits = 1 }) {
  for (const scenario of scenarios) for (let i = 0; i < warmUp; i += 1) await timedGet(origin, cookie, scenario.path(i));
  console.log(`\n${runs} timed requests each, one at a time, whole page through HTTP:\n`);
  console.log('| page | p50 | p99 | max | target p99 |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  let met = true;
  for (const scenario of scenarios) {
    const times = [];
    for (let i = 0; i < runs; i += 1) times.push((await timedGet(origin, cookie, scenario.path(i))).ms);
    times.sort((a, b) => a - b);
    const p99 = percentile(times, 99);
    if (p99 >= targetMs) met = false;
    console.log(`| ${scenario.name} | ${percentile(times, 50).toFixed(digits)} ms | ${p99.toFixed(digits)} ms | ${times.at(-1).toFixed(digits)} ms | < ${targetMs} ms ${p99 < targetMs ? '✓' : '✗'} |`);
  }
  return met;
}
