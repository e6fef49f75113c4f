/**
 * What JavaScript adds to the request forms; each of them works without it.
 * - A form marked `data-once` is sent once: a second click while the first post is on its
 *   way does nothing (the server also makes a double post create one request).
 * - While the problem is described, help entries that may answer it are offered (Pagefind).
 */
import { descriptionTerms } from './text-search';

interface PagefindResult {
  id: string;
  data(): Promise<{ url: string; meta: { title?: string } }>;
}
interface Pagefind {
  options(options: { baseUrl?: string }): Promise<void>;
  init(): Promise<void>;
  search(query: string): Promise<{ results: PagefindResult[] }>;
}

function sendOnce() {
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-once]')) {
    let sent = false;
    form.addEventListener('submit', (event) => {
      if (sent) event.preventDefault();
      sent = true;
      form.querySelector('button[type="submit"]')?.setAttribute('aria-disabled', 'true');
    });
  }
}

function suggestAnswers() {
  const textarea = document.querySelector<HTMLTextAreaElement>('#problem-form textarea[name="description"]');
  const box = document.getElementById('request-suggestions');
  if (!textarea || !box) return;
  let pagefind: Promise<Pagefind> | undefined;
  const path = box.dataset.pagefind;
  if (!path) return;
  const load = () =>
    (pagefind ??= (import(/* @vite-ignore */ path) as Promise<Pagefind>).then(async (engine) => {
      // The index lives under /pagefind/<fingerprint>/: its pages are at the site's root.
      await engine.options({ baseUrl: '/' });
      await engine.init();
      return engine;
    }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  let shown = '';

  async function run() {
    const ticket = ++latest;
    // Pagefind wants every word of a query; a description is better served word by word,
    // ranking pages by how many of its longer words they contain.
    const words = descriptionTerms(textarea!.value).slice(-8);
    if (words.length === 0) return;
    try {
      const engine = await load();
      const score = new Map<string, { hits: number; result: PagefindResult }>();
      for (const word of words) {
        const found = await engine.search(word);
        for (const result of found.results.slice(0, 10)) {
          const entry = score.get(result.id) ?? { hits: 0, result };
          entry.hits += 1;
          score.set(result.id, entry);
        }
      }
      const best = [...score.values()].filter((e) => e.hits >= Math.min(2, words.length)).sort((a, b) => b.hits - a.hits).slice(0, 6);
      const data = (await Promise.all(best.map((e) => e.result.data()))).filter((d) => d.url.startsWith(box!.dataset.faq ?? '/faq/')).slice(0, 3);
      if (ticket !== latest) return;
      const key = data.map((d) => d.url).join(' ');
      if (key === shown) return;
      shown = key;
      box!.hidden = data.length === 0;
      const title = document.createElement('h2');
      title.textContent = box!.dataset.title ?? '';
      const list = document.createElement('ul');
      for (const d of data) {
        const item = document.createElement('li');
        const link = document.createElement('a');
        link.href = d.url;
        link.target = '_blank';
        link.textContent = `${d.meta.title ?? d.url} ${box!.dataset.newWindow ?? ''}`;
        item.append(link);
        list.append(item);
      }
      box!.replaceChildren(title, list);
    } catch {
      // No suggestions is fine: the check page offers them from the server.
    }
  }

  textarea.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 600);
  });
  if (textarea.value) void run();
}

export function enhanceRequestForm() {
  sendOnce();
  suggestAnswers();
}
