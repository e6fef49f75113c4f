// A throwaway copy of the application, for tests that break its content and for benchmarks
// that build generated corpora, without touching the working tree or its caches.
import { cpSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '..');

/**
 * Copies sources, content and config into `dir`. node_modules is rebuilt from links to each
 * installed package rather than linked whole: Astro and Vite keep their caches (the content
 * data store among them) in node_modules/.astro and .vite, and each copy needs its own.
 */
export function copyProjectTo(dir) {
  mkdirSync(dir, { recursive: true });
  const paths = ['src', 'content', 'public', 'db', 'astro.config.mjs', 'tsconfig.json', 'package.json'];
  for (const path of paths) cpSync(join(projectRoot, path), join(dir, path), { recursive: true });
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(projectRoot, 'node_modules'))) {
    if (name === '.astro' || name === '.vite' || name === '.cache') continue;
    symlinkSync(join(projectRoot, 'node_modules', name), join(modules, name));
  }
  return dir;
}
