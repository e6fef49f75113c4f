/**
 * Progressive enhancement of the search page: without this script the form reloads the page
 * and the server answers; with it, Pagefind answers as the reader types, without a reload.
 */

interface PagefindResultData {
  url: string;
  excerpt: string;
  meta: { title?: string };
}
interface Pagefind {
  init(): Promise<void>;
  search(query: string): Promise<{ results: { data(): Promise<PagefindResultData> }[] }>;
}

const MAX_RESULTS = 20;

export function runSearchPage(): void {
  const app = document.getElementById('search-app');
  const form = app?.querySelector('form');
  const input = form?.querySelector<HTMLInputElement>('input[name="q"]');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results') as HTMLOListElement | null;
  if (!app || !form || !input || !status || !list) return;

  const text = (key: string, values: Record<string, string | number> = {}) =>
    (app.dataset[key] ?? '').replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));

  let pagefind: Promise<Pagefind> | undefined;
  const load = () => {
    const path = '/pagefind/pagefind.js';
    pagefind ??= (import(/* @vite-ignore */ path) as Promise<Pagefind>).then(async (module) => {
      await module.init();
      return module;
    });
    return pagefind;
  };

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

  // When Pagefind cannot load, the form goes back to asking the server.
  let broken = false;
  let latest = 0;
  async function run(query: string, submitted = false) {
    const ticket = ++latest;
    const trimmed = query.trim();
    if (!trimmed) {
      status!.textContent = '';
      list!.hidden = true;
      return;
    }
    status!.textContent = text('loading');
    try {
      const engine = await load();
      const found = await engine.search(trimmed);
      const data = await Promise.all(found.results.slice(0, MAX_RESULTS).map((r) => r.data()));
      if (ticket !== latest) return;
      list!.replaceChildren(
        ...data.map((result) => {
          const item = document.createElement('li');
          const link = document.createElement('a');
          link.href = result.url;
          link.textContent = result.meta.title ?? result.url;
          const excerpt = document.createElement('p');
          // Pagefind escapes the page text and only adds <mark> around matches.
          excerpt.innerHTML = result.excerpt;
          item.append(link, excerpt);
          return item;
        }),
      );
      list!.hidden = data.length === 0;
      const count = found.results.length;
      if (count === 0) reportMiss(trimmed, submitted ? 0 : 2000);
      else clearTimeout(missTimer);
      status!.textContent =
        count === 0 ? text('none', { query: trimmed }) : text(count === 1 ? 'one' : 'many', { count, query: trimmed });
    } catch {
      broken = true;
      if (ticket === latest) status!.textContent = text('error');
    }
  }

  // A query in the address was already answered by the server; Pagefind answers what is typed next.
  form.addEventListener('submit', (event) => {
    if (broken) return;
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set('q', input.value);
    history.replaceState(null, '', url);
    void run(input.value, true);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    if (broken) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(input.value), 250);
  });
}
