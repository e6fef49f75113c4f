// The line between code that may reach a browser and code that reads the database: nothing in
// src/lib/ outside src/lib/server/ imports server code (src/lib/server/, db/, Node's database
// client; db/values.ts, plain values, is allowed), directly or through another module of src/lib/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const lib = join(root, 'src/lib');
const server = join(lib, 'server');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|js)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The import specifiers of a module (static, dynamic, re-exports, type-only included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]!);
}

/** Why an import is server code, or undefined. */
function serverImport(file: string, specifier: string): string | undefined {
  if (/^(@libsql\/|drizzle-orm|node:sqlite|astro:db)/.test(specifier)) return specifier;
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(file), specifier);
  if (target === server || target.startsWith(server + '/')) return relative(root, target);
  // db/values.ts holds plain values (states, limits) that the schema and the forms share.
  if (target.startsWith(join(root, 'db') + '/') && target !== join(root, 'db/values') && target !== join(root, 'db/values.ts')) return relative(root, target);
  return undefined;
}

describe('module boundaries', () => {
  const shared = sourceFiles(lib).filter((file) => !file.startsWith(server + '/'));

  it('finds the modules it checks (the rule cannot hold by looking at nothing)', () => {
    expect(shared.length).toBeGreaterThan(10);
    // The check itself sees a server import where one is written.
    expect(serverImport(join(lib, 'x.ts'), './server/db')).toBe('src/lib/server/db');
    expect(serverImport(join(lib, 'search/x.ts'), '../../../db/schema')).toBe('db/schema');
  });

  it('nothing in src/lib/ outside src/lib/server/ imports server code', () => {
    const found = shared.flatMap((file) =>
      importsOf(file)
        .map((specifier) => serverImport(file, specifier))
        .filter((reason): reason is string => reason !== undefined)
        .map((reason) => `${relative(root, file)} imports ${reason}`),
    );
    expect(found).toEqual([]);
  });
});
