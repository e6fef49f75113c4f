// The Node.js flags the server runs with, written once in package.json's "serve" script and read
// from there by whatever else starts the server (the end-to-end tests, the benchmarks), so that
// what is tested and measured is what is deployed. They bound the JavaScript heap: a young
// generation of 4 MB per half and an old generation of 256 MB, some 8 times what the server
// keeps alive, so that V8 collects early instead of growing towards the machine's memory.
import { readFileSync } from 'node:fs';

/** @returns {string[]} */
export function serverNodeFlags() {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const serve = /\bnode((?:\s+--\S+)*)\s+scripts\/serve\.mjs/.exec(pkg.scripts.serve);
  if (!serve) throw new Error('package.json: the "serve" script no longer starts scripts/serve.mjs with node');
  return serve[1].trim().split(/\s+/).filter(Boolean);
}
