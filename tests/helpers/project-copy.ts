import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyProjectTo, projectRoot } from '../../scripts/project-copy.mjs';

/** A throwaway copy of the application, so a test can break its content and run Astro on it. */
export function copyProject(): string {
  return copyProjectTo(mkdtempSync(join(tmpdir(), 'guichet-project-')));
}

/** Runs the Astro CLI in `dir` with the project's pinned Node; returns its exit code and output. */
export function runAstro(dir: string, command: 'sync' | 'build', env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [join(projectRoot, 'node_modules/astro/bin/astro.mjs'), command], {
    cwd: dir,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    encoding: 'utf8',
    timeout: 170_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}
