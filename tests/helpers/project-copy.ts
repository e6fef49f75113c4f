import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/**
 * A throwaway copy of the application (sources, content, config; node_modules linked), so a
 * test can break the content and run Astro on it without touching the working tree.
 */
export function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-project-'));
  for (const path of ['src', 'content', 'public', 'db', 'astro.config.mjs', 'tsconfig.json', 'package.json']) {
    cpSync(join(root, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Runs the Astro CLI in `dir` with the project's pinned Node; returns its exit code and output. */
export function runAstro(dir: string, command: 'sync' | 'build', env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), command], {
    cwd: dir,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
    encoding: 'utf8',
    timeout: 170_000,
  });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}
