// Triage journey: an agent works through twenty new requests — open, assign to self, reply
// with a saved reply that fills in the resident's name, send, go on to the next — with the
// keyboard alone, in Chromium, on the built server with the demo data. The same twenty are
// worked through twice (forty requests filed): once with today's workspace ("send and open the
// next", the saved reply inserted at the cursor without a reload, the `m` shortcut), once with
// only the means the workspace had before (issue 18): open a request from the queue with its
// number key, take it, insert the saved reply by posting the form, send, go back to the queue.
// Keystrokes and page loads are counted; the time is printed, never asserted.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../scripts/project-copy.mjs';
import { buildCopy, freePort, launchChromium, startServer } from './lib.mjs';
import { migrate } from './requests.mjs';

const AGENT = 'sophie.demo@example.org';
const PASSWORD = 'demo-guichet-2026';

/** Files one request through the guided form's seven posts, as a browser without JavaScript does. */
async function fileOne(origin, n, description) {
  let cookie = '';
  const post = async (path, fields) => {
    const response = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin, 'x-forwarded-for': `10.9.${(n >> 8) & 255}.${n & 255}`, ...(cookie && { cookie }) },
      body: new URLSearchParams(fields),
      redirect: 'manual',
    });
    const set = response.headers.getSetCookie().find((c) => c.startsWith('guichet_demande='));
    if (set) cookie = set.split(';')[0];
    if (response.status !== 303) throw new Error(`filing: ${path} answered ${response.status}`);
    return response.headers.get('location') ?? '';
  };
  await post('/demande/demarche/?_action=request.step', { step: 'procedure', procedure: 'Payer la cantine', category: 'payment', stage: 'Paiement' });
  await post('/demande/probleme/?_action=request.step', { step: 'problem', description });
  await post('/demande/pieces-jointes/?_action=request.files', { intent: 'continue' });
  await post('/demande/qui/?_action=request.step', { step: 'who', who: 'resident' });
  await post('/demande/identite/?_action=request.step', { step: 'about', name: `Martine Essai${n}` });
  await post('/demande/reponse/?_action=request.step', { step: 'answer', channel: 'email', email: `triage-${n}@example.org` });
  const done = await post('/demande/verification/?_action=request.submit', { consent: 'yes' });
  if (!done.includes('/confirmation/')) throw new Error(`filing: sent to ${done}`);
}

/** Counts what the agent does: keys pressed and pages loaded. */
function recorder(page) {
  const counts = { keys: 0, loads: 0 };
  page.on('load', () => (counts.loads += 1));
  if (process.env.TRIAGE_DEBUG) page.on('framenavigated', (frame) => frame === page.mainFrame() && console.log(`    navigated: ${frame.url()}`));
  const press = async (key) => {
    counts.keys += 1;
    await page.keyboard.press(key);
  };
  /** Tab until `selector` has the focus (Shift+Tab backwards), each press counted. */
  const tabTo = async (selector, back = false) => {
    for (let i = 0; i < 300; i += 1) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await press(back ? 'Shift+Tab' : 'Tab');
    }
    throw new Error(`no focus on ${selector} after 300 tabs`);
  };
  return { counts, press, tabTo };
}

const heading = (page) => page.locator('h1').first().textContent();

/** Today's workspace: j Enter opens the first; per request: a, m, Tab, Enter (inserted at the cursor), Ctrl+Shift+Enter. */
async function journeyToday(page, origin, tag, COUNT) {
  const { counts, press } = recorder(page);
  // The queue "to do", narrowed to this journey's requests: each one answered leaves it.
  await page.goto(`${origin}/agent/?file=todo&q=${tag}&tri=oldest`);
  await press('j');
  await press('Enter');
  for (let i = 0; i < COUNT; i += 1) {
    await page.waitForSelector('#f-saved');
    await page.waitForLoadState('load');
    if (!(await heading(page)).startsWith('Demande ')) throw new Error(`today: request ${i + 1} not open`);
    await press('a');
    await page.waitForSelector('h1 + .g-meta:has-text("attribuée à Sophie")');
    await page.waitForLoadState('load');
    await press('m');
    await press('Tab');
    await press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'f-body' && document.querySelector('#f-body').value.includes('Bonjour Martine'));
    const before = page.url();
    await press('Control+Shift+Enter');
    await page.waitForURL((url) => url.href !== before && url.searchParams.has('envoye'));
  }
  if ((await heading(page)) !== 'Demandes') throw new Error('today: the journey did not end on the queue');
  return counts;
}

/** The workspace before issue 18, with its own means: number keys, take, a posted insertion, send, back. */
async function journeyBefore(page, origin, tag, COUNT) {
  const { counts, press, tabTo } = recorder(page);
  // Insertion without JavaScript's help: the form is posted, the page reloads.
  await page.route(/\/_actions\/agent\.write/, (route) => route.abort());
  await page.goto(`${origin}/agent/?file=todo&q=${tag}&tri=oldest`);
  for (let i = 0; i < COUNT; i += 1) {
    // The first row: the requests answered have left the queue "to do".
    await press('1');
    await page.waitForSelector('#f-saved');
    await page.waitForLoadState('load');
    await press('a');
    await page.waitForSelector('h1 + .g-meta:has-text("attribuée à Sophie")');
    await page.waitForLoadState('load');
    await tabTo('#f-saved');
    await tabTo('button[name="insert"][value="saved"]');
    await press('Enter');
    await page.waitForFunction(() => document.querySelector('#f-body')?.value.includes('Bonjour Martine'));
    await page.waitForLoadState('load');
    await tabTo('button[data-send]');
    await press('Enter');
    await page.waitForURL((url) => url.searchParams.has('ecrit'));
    await press('q');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Demandes');
    await page.waitForLoadState('load');
  }
  return counts;
}

export async function runTriage({ count = 20, keep = false, log }) {
  const COUNT = count;
  const dir = join(projectRoot, 'bench/.work/triage');
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  buildCopy(dir, { PUBLIC_ORIGIN: origin });
  const dbFile = join(dir, 'triage.db');
  migrate(dir, dbFile);
  const app = await startServer(dir, dbFile, { port, env: { PUBLIC_ORIGIN: origin, GUICHET_DEMO: '1' }, readyPath: '/agent/connexion/' });
  const browser = await launchChromium();
  const figures = {};
  try {
    const stamp = Date.now().toString(36);
    const tags = { today: `triagenew${stamp}`, before: `triageold${stamp}` };
    let n = 0;
    for (const tag of Object.values(tags)) for (let i = 0; i < COUNT; i += 1) await fileOne(origin, (n += 1), `Le paiement de la cantine est refusé (${tag}).`);
    for (const [name, journey] of [['today', journeyToday], ['before', journeyBefore]]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      await page.goto(`${origin}/agent/connexion/`);
      await page.getByLabel('Adresse e-mail').fill(AGENT);
      await page.getByLabel('Mot de passe').fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${origin}/agent/`);
      const started = performance.now();
      const counts = await journey(page, origin, tags[name], COUNT).catch(async (error) => {
        throw new Error(`${name}: ${error.message}\nat ${page.url()}: ${(await page.locator('main').innerText().catch(() => '')).slice(0, 1500)}`);
      });
      figures[name] = { ...counts, seconds: (performance.now() - started) / 1000 };
      await context.close();
      log(`  ${name === 'today' ? 'today’s workspace' : 'the workspace before'}: ${counts.keys} keys, ${counts.loads} page loads, ${figures[name].seconds.toFixed(1)} s for ${COUNT} requests`);
    }
  } finally {
    await browser.close();
    await app.stop();
  }
  const { createClient } = await import('@libsql/client');
  const db = createClient({ url: `file:${dbFile}` });
  // Every request answered once, by the agent, with the resident's name, and assigned to her.
  const answered = await db.execute(
    "select count(*) as n from requests r join agents a on a.id = r.assignee_id where r.description like '%(triage%' and a.email = ? and (select count(*) from messages m where m.request_id = r.id and m.author = 'agent' and m.internal = 0 and m.body like 'Bonjour Martine%') = 1",
    [AGENT],
  );
  db.close();
  if (Number(answered.rows[0].n) !== COUNT * 2) throw new Error(`triage: ${answered.rows[0].n} of ${COUNT * 2} requests answered and assigned as the journey should`);
  if (!keep) rmSync(dir, { recursive: true, force: true });
  const rows = [
    { what: `Triage of ${COUNT} new requests with the keyboard alone (open, assign to self, saved reply with the name, send, next): page loads (vs the workspace before issue 18)`, ours: String(figures.today.loads), reference: String(figures.before.loads), ratio: figures.today.loads / figures.before.loads, budget: '≤ 0.5× the loads before', pass: figures.today.loads <= figures.before.loads / 2 },
    { what: `Triage of ${COUNT} new requests: keys pressed (vs the workspace before)`, ours: String(figures.today.keys), reference: String(figures.before.keys), ratio: figures.today.keys / figures.before.keys, budget: '—' },
    { what: `Triage of ${COUNT} new requests: time in Chromium, not a budget (vs the workspace before)`, ours: `${figures.today.seconds.toFixed(1)} s`, reference: `${figures.before.seconds.toFixed(1)} s`, ratio: figures.today.seconds / figures.before.seconds, budget: '—' },
  ];
  return { rows, figures };
}
