// The benchmark suite: `npm run bench`. Measures Guichet beside its references in the same
// run — the help centre beside Starlight, requests and the workspace beside @libsql/client
// alone — and prints one markdown table (what, ours, reference, ratio, budget, pass/fail),
// also written to bench/results/latest.md with the machine it ran on.
//
//   npm run bench                                # everything, default sizes (about 15 minutes on 2 cores)
//   npm run bench -- --quick                     # small sizes, one run: checks the benchmarks work (CI)
//   npm run bench -- --only help --sizes 1000    # one part, other sizes
//   npm run bench -- --only workspace --requests 20000 --seconds 3
//
// Options: --only help,quality,publish,filing,workspace,triage,server,chat (parts), --sizes (help-centre entries), --peer-sizes (those also built
// with Starlight), --runs (repetitions; each figure is their median), --peer-runs (Starlight
// builds per size), --search-runs, --requests (workspace size), --seconds (length of each load),
// --connections (concurrent clients), --latency-runs (timed pages per run), --out (result file),
// --keep (keep the builds under bench/.work and bench/peers/starlight/dist for inspection).
//
// Exit status: 1 when a benchmark breaks (a build fails, a page errors, a filing is lost), and
// in a full run when a budget is missed; --quick never fails on timing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../scripts/project-copy.mjs';
import { runHelpCentre } from './help-centre.mjs';
import { runPublish } from './publish.mjs';
import { runChat } from './chat.mjs';
import { runRequests } from './requests.mjs';
import { runSearchQuality } from './search-quality.mjs';
import { runServer } from './server.mjs';
import { runTriage } from './triage.mjs';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    sizes: { type: 'string' },
    'peer-sizes': { type: 'string' },
    runs: { type: 'string' },
    'peer-runs': { type: 'string' },
    'search-runs': { type: 'string' },
    requests: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string' },
    'latency-runs': { type: 'string' },
    out: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const quick = options.quick;
const list = (text) => text.split(',').filter(Boolean).map(Number);
const number = (name, full, small) => Number(options[name] ?? (quick ? small : full));
const PARTS = ['help', 'quality', 'publish', 'filing', 'workspace', 'triage', 'server', 'chat'];
const parts = options.only ? options.only.split(',') : PARTS;
for (const part of parts) if (!PARTS.includes(part)) throw new Error(`unknown part “${part}” (${PARTS.join(', ')})`);
const settings = {
  sizes: list(options.sizes ?? (quick ? '300' : '1000,5000,10000')),
  peerSizes: list(options['peer-sizes'] ?? (quick ? '300' : '1000,5000')),
  runs: number('runs', 3, 1),
  peerRuns: number('peer-runs', 1, 1),
  searchRuns: number('search-runs', 7, 3),
  requests: number('requests', 100_000, 3_000),
  seconds: number('seconds', 5, 2),
  connections: number('connections', 4, 4),
  latencyRuns: number('latency-runs', 200, 20),
  keep: options.keep,
};
const defaults = !quick && !options.only && !options.sizes && !options['peer-sizes'] && !options.requests;
const out = options.out ?? join(projectRoot, 'bench/results', defaults ? 'latest.md' : 'last-run.md');

const log = (line) => console.log(line);
const started = performance.now();
const rows = [];
const details = {};
if (parts.includes('help')) {
  log(`Help centre: ${settings.sizes.join(', ')} entries (Starlight at ${settings.peerSizes.join(', ')})`);
  const help = await runHelpCentre({ ...settings, log });
  rows.push(...help.rows);
  details.help = help.figures;
}
if (parts.includes('quality')) {
  log('Search quality: the resident-style questions over the demo content, beside raw Pagefind');
  const quality = await runSearchQuality({ keep: settings.keep, log });
  rows.push(...quality.rows);
  details.quality = quality.figures;
}
if (parts.includes('publish')) {
  const size = quick ? 300 : 5000;
  log(`Help editing: ${size.toLocaleString('en')} entries in the database, publishing from the workspace`);
  const publish = await runPublish({ size, publishRuns: quick ? 3 : 20, latencyRuns: settings.latencyRuns, keep: settings.keep, log });
  rows.push(...publish.rows);
  details.publish = publish.figures;
}
if (parts.includes('filing') || parts.includes('workspace')) {
  log(`Requests${parts.includes('workspace') ? ` and the workspace at ${settings.requests.toLocaleString('en')} requests` : ''}: ${settings.connections} clients, ${settings.seconds} s loads`);
  const server = await runRequests({ ...settings, filing: parts.includes('filing'), workspace: parts.includes('workspace'), log });
  rows.push(...server.rows);
  details.requests = server.figures;
}
if (parts.includes('triage')) {
  const count = quick ? 5 : 20;
  log(`Triage: ${count} new requests worked through with the keyboard, today’s workspace beside the one before`);
  const triage = await runTriage({ count, keep: settings.keep, log });
  rows.push(...triage.rows);
  details.triage = triage.figures;
}
if (parts.includes('server')) {
  log(`The server: a worker killed, one worker and two, hostile bodies (${settings.connections} clients, ${settings.seconds} s loads)`);
  const server = await runServer({ ...settings, quick, log });
  rows.push(...server.rows);
  details.server = server.figures;
}
if (parts.includes('chat')) {
  log(`Live chat: ${quick ? 200 : 2000} open streams on one worker, ${quick ? '10,000' : '100,000'} chat events`);
  const chat = await runChat({ quick, keep: settings.keep, log });
  rows.push(...chat.rows);
  details.chat = chat.figures;
}
const minutes = (performance.now() - started) / 60_000;

const ratio = (value) => (value === undefined || !Number.isFinite(value) ? '—' : value >= 10 ? `${value.toFixed(0)}×` : value >= 0.1 ? `${value.toFixed(2)}×` : `${value.toFixed(3)}×`);
const verdict = (row) => (row.pass === undefined ? '' : quick ? (row.pass ? 'pass (quick)' : 'miss (quick)') : row.pass ? 'pass' : '**FAIL**');
const table = [
  '| what | ours | reference | ratio | budget | result |',
  '| --- | ---: | ---: | ---: | --- | --- |',
  ...rows.map((row) => `| ${row.what} | ${row.ours} | ${row.reference} | ${ratio(row.ratio)} | ${row.budget} | ${verdict(row)} |`),
].join('\n');
const cpu = cpus();
const machine = `${cpu.length} CPU (${cpu[0]?.model.trim() ?? 'unknown'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GiB of memory, Node.js ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
const report = [
  `# Benchmark results${quick ? ' (quick: small sizes, one run; figures not comparable with budgets)' : ''}`,
  '',
  `Machine: ${machine}. The whole run took ${minutes.toFixed(1)} minutes.`,
  '',
  `Settings: ${JSON.stringify(settings)}; parts: ${parts.join(', ')}.`,
  '',
  table,
  '',
  'References: Starlight (bench/peers/starlight) built from the same corpus and served by the same gzipping front server; @libsql/client alone writing the same rows, or running the same SQL, on a database of the same size. Each figure is the median of the runs, ours and the reference measured in turn. Ratio: ours ÷ reference.',
  '',
].join('\n');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, report);
writeFileSync(out.replace(/\.md$/, '.json'), JSON.stringify({ machine, settings, details }, null, 2));
console.log(`\n${table}\n\n${machine}; ${minutes.toFixed(1)} minutes. Written to ${relative(projectRoot, out)}.`);
if (!quick && rows.some((row) => row.pass === false)) process.exitCode = 1;
