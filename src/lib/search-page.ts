/**
 * Progressive enhancement of the search page: without this script the form reloads the page
 * and the server answers; with it, the same search answers as the reader types, without a
 * reload — the same reading of the query (./search/understand.ts, with the lexicon the server
 * reads) run on the same Pagefind index (./search/run.ts), so that both give the same results.
 */
import type { Lexicon } from './search/understand';

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}
interface Pagefind {
  options(options: { baseUrl?: string }): Promise<void>;
  init(): Promise<void>;
  search(query: string): Promise<{ results: { id: string; score: number; data(): Promise<PagefindResultData> }[] }>;
}

const MAX_RESULTS = 20;
/** Results shown before the others are fetched. */
const FIRST_RESULTS = 5;
/** How long the status line waits for typing to pause before it changes. */
const STATUS_DELAY_MS = 400;

export function runSearchPage(): void {
  const app = document.getElementById('search-app');
  const form = app?.querySelector('form');
  const input = form?.querySelector<HTMLInputElement>('input[name="q"]');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results') as HTMLOListElement | null;
  if (!app || !form || !input || !status || !list) return;

  const text = (key: string, values: Record<string, string | number> = {}) =>
    (app.dataset[key] ?? '').replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));

  // Pagefind, the lexicon and the code that reads queries: loaded when the reader turns to
  // the field, not with the page.
  let loaded: Promise<{ pagefind: Pagefind; lexicon: Lexicon; search: typeof import('./search/understand'); run: typeof import('./search/run'); excerpt: typeof import('./search/excerpt') }> | undefined;
  const load = () => {
    // The index of the content published when the page was served (its folder is named after it).
    const path = app.dataset.pagefind ?? '';
    loaded ??= Promise.all([
      (import(/* @vite-ignore */ path) as Promise<Pagefind>).then(async (module) => {
        // The index lives under /pagefind/<fingerprint>/: its pages are at the site's root.
        await module.options({ baseUrl: '/' });
        await module.init();
        return module;
      }),
      fetch(app.dataset.lexicon ?? '').then((response) => {
        if (!response.ok) throw new Error(`lexicon: ${response.status}`);
        return response.json() as Promise<Lexicon>;
      }),
      import('./search/understand'),
      import('./search/run'),
      import('./search/excerpt'),
    ]).then(([pagefind, lexicon, search, run, excerpt]) => ({ pagefind, lexicon, search, run, excerpt }));
    return loaded;
  };
  const corrected = document.getElementById('search-corrected');
  const noneHelp = document.getElementById('search-none-help');

  // A query that found nothing is reported once the reader stops typing (or presses Enter):
  // the words only, each query once per page, so the authority learns what help is missing.
  const reported = new Set<string>();
  let missTimer: ReturnType<typeof setTimeout> | undefined;
  const reportMiss = (query: string, delay: number) => {
    clearTimeout(missTimer);
    const endpoint = app!.dataset.miss;
    if (!endpoint || query.length < 3 || reported.has(query.toLowerCase())) return;
    missTimer = setTimeout(() => {
      reported.add(query.toLowerCase());
      void fetch(endpoint, { method: 'POST', body: query, headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, keepalive: true }).catch(() => undefined);
    }, delay);
  };

  // Results follow every key at once; the status line, a live region read out by screen
  // readers, waits until typing pauses so that it is not read out at every key.
  let statusTimer: ReturnType<typeof setTimeout> | undefined;
  const announce = (message: string, now = false) => {
    clearTimeout(statusTimer);
    if (now) status!.textContent = message;
    else statusTimer = setTimeout(() => (status!.textContent = message), STATUS_DELAY_MS);
  };

  const resultItem = ({ excerptPieces, curlyApostrophes }: typeof import('./search/excerpt')) => (result: PagefindResultData) => {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = result.url;
    link.textContent = curlyApostrophes(result.meta.title ?? result.url);
    const excerpt = document.createElement('p');
    // The excerpt's text as text, its matches marked.
    for (const piece of excerptPieces(result.excerpt)) {
      if (!piece.match) excerpt.append(piece.text);
      else excerpt.append(Object.assign(document.createElement('mark'), { textContent: piece.text }));
    }
    item.append(link, excerpt);
    return item;
  };

  // When Pagefind cannot load, the form goes back to asking the server.
  let broken = false;
  let latest = 0;
  async function run(query: string, submitted = false) {
    const ticket = ++latest;
    const trimmed = query.trim();
    if (!trimmed) {
      announce('', true);
      list!.hidden = true;
      if (noneHelp) noneHelp.hidden = true;
      return;
    }
    announce(text('loading'));
    try {
      const { pagefind, lexicon, search, run: rank, excerpt } = await load();
      const understood = search.understand(trimmed, lexicon);
      const ranked = await rank.runSearch<PagefindResultData>(
        { search: async (words) => (await pagefind.search(words)).results.map((r) => ({ id: r.id, score: r.score, data: () => r.data() })) },
        understood,
        lexicon.pages,
      );
      const item = resultItem(excerpt);
      // The first few results are shown as soon as they arrive, the rest follow: each one is
      // a small file to fetch, and a phone fetches a handful at a time.
      const wanted = ranked.slice(0, MAX_RESULTS);
      const first = await Promise.all(wanted.slice(0, FIRST_RESULTS).map((r) => r.data()));
      if (ticket !== latest) return;
      const shown = understood.corrected ?? trimmed;
      if (corrected) {
        corrected.hidden = !understood.corrected;
        const exact = document.createElement('a');
        exact.href = `${location.pathname}?${new URLSearchParams({ q: trimmed, exact: '1' })}`;
        exact.textContent = text('exact', { query: trimmed });
        corrected.replaceChildren(...(understood.corrected ? [exact] : []));
      }
      list!.replaceChildren(...first.map(item));
      list!.hidden = first.length === 0;
      // The rest only once typing pauses: a weak connection should not fetch them at every key.
      if (wanted.length > FIRST_RESULTS && !submitted) await new Promise((done) => setTimeout(done, STATUS_DELAY_MS));
      if (ticket !== latest) return;
      if (wanted.length > FIRST_RESULTS) {
        const rest = await Promise.all(wanted.slice(FIRST_RESULTS).map((r) => r.data()));
        if (ticket !== latest) return;
        list!.append(...rest.map(item));
      }
      const count = ranked.length;
      if (count === 0) reportMiss(trimmed, submitted ? 0 : 2000);
      else clearTimeout(missTimer);
      if (noneHelp) noneHelp.hidden = count > 0;
      announce(count === 0 ? text('none', { query: shown }) : text(count === 1 ? 'one' : 'many', { count, query: shown }), submitted);
      // Which query the results on the page answer (for tests, and styles if ever needed).
      app!.dataset.answered = trimmed;
    } catch {
      broken = true;
      if (ticket === latest) announce(text('error'), true);
    }
  }

  // A query in the address was already answered by the server; Pagefind answers what is typed next.
  form.addEventListener('submit', (event) => {
    if (broken) return;
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set('q', input.value);
    url.searchParams.delete('exact');
    history.replaceState(null, '', url);
    void run(input.value, true);
  });
  // One letter finds too much to be useful, and searching it is the slowest search of all.
  input.addEventListener('input', () => {
    if (!broken && input.value.trim().length !== 1) void run(input.value);
  });
  // The index starts loading as soon as the reader turns to the field, not at the first key.
  const warm = () => void load().catch(() => undefined);
  input.addEventListener('focus', warm, { once: true });
  input.addEventListener('pointerdown', warm, { once: true });
  if (document.activeElement === input) warm();
}
