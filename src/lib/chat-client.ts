/**
 * The chat page with JavaScript: new messages arrive by the event stream (no reload), the
 * message box posts without leaving the page and keeps the focus, and the status line follows
 * the chat. The page works without any of this (posting and reloading); this only removes the
 * round trips. The stream resumes from its last event after a cut (the browser sends
 * Last-Event-ID), so nothing is missed; the page's own messages are added when the server has
 * them, once, and are not announced (only the other side's are).
 */
/** A message as the resident's page shows it: who wrote it and when are in its text. */
export interface ChatLine {
  id: number;
  /** Written by the resident (their own lines are not announced to them). */
  mine: boolean;
  who: string;
  /** "14 h 32", and the instant for a `<time>` element. */
  time: string;
  at: string;
  body: string;
  /** The files the message carries (sent by the stream; the page lists them with their sizes). */
  files?: { id: number; name: string }[];
}

interface Status {
  state: 'waiting' | 'active' | 'written';
  text: string;
}

export function enhanceChat(): void {
  const root = document.querySelector<HTMLElement>('[data-chat]');
  const log = root?.querySelector<HTMLOListElement>('[data-chat-log]');
  const form = root?.querySelector<HTMLFormElement>('[data-chat-form]');
  const box = form?.querySelector<HTMLTextAreaElement>('textarea[name="message"]');
  const status = root?.querySelector<HTMLElement>('[data-chat-status]');
  const sending = root?.querySelector<HTMLElement>('[data-chat-sending]');
  if (!root || !log || !form || !box || !status || !sending || !('EventSource' in window)) return;
  const texts = { sending: root.dataset.textSending ?? '', sent: root.dataset.textSent ?? '', failed: root.dataset.textFailed ?? '' };
  const shown = new Set([...log.querySelectorAll<HTMLElement>('[data-message]')].map((li) => Number(li.dataset.message)));
  // The messages come by themselves: the reload button is not needed.
  root.querySelector<HTMLElement>('[data-chat-refresh]')?.setAttribute('hidden', '');

  const add = (line: ChatLine) => {
    if (shown.has(line.id)) return;
    shown.add(line.id);
    const item = document.createElement('li');
    item.className = line.mine ? 'g-message' : 'g-message g-message--support';
    item.dataset.message = String(line.id);
    const meta = document.createElement('p');
    meta.className = 'g-message__meta';
    const who = document.createElement('strong');
    who.textContent = line.who;
    const time = document.createElement('time');
    time.dateTime = line.at;
    time.textContent = line.time;
    meta.append(who, ', ', time, ' : ');
    const body = document.createElement('p');
    body.className = 'g-message__body';
    body.textContent = line.body;
    const files = document.createElement('ul');
    if (line.files?.length) {
      files.className = 'g-file-list';
      files.setAttribute('aria-label', root.dataset.textFiles ?? '');
      for (const file of line.files) {
        const link = document.createElement('a');
        link.href = `${root.dataset.files}${file.id}/`;
        link.textContent = file.name;
        const entry = document.createElement('li');
        entry.append(link);
        files.append(entry);
      }
    }
    const parts = line.files?.length ? [meta, body, files] : [meta, body];
    log.querySelector('#dernier')?.removeAttribute('id');
    item.id = 'dernier';
    if (line.mine) {
      // One's own message is already known: it joins the log empty, as a region of its own that
      // is silent (aria-live="off"), and is filled there in the next task, once the addition of
      // an empty item has been seen (nothing to say); nothing is announced. The other side's
      // join whole, and the log announces them once, with who and when in their text.
      item.setAttribute('aria-live', 'off');
      log.append(item);
      setTimeout(() => item.append(...parts), 0);
    } else {
      item.append(...parts);
      log.append(item);
    }
  };

  // A long wait: the offer to be called back or answered in writing appears when it is due,
  // and goes when an agent takes the chat (state events hide the parts of a live chat that no
  // longer apply).
  const longWait = root.querySelector<HTMLElement>('[data-long-wait]');
  if (longWait?.hidden) {
    const due = Number(longWait.dataset.longWait) - Date.now();
    setTimeout(() => {
      if (root.dataset.state === 'waiting') longWait.hidden = false;
    }, Math.max(0, due));
  }

  const stream = new EventSource(`${root.dataset.stream}&apres=${root.dataset.lastEvent ?? '0'}`);
  stream.addEventListener('message', (event) => add(JSON.parse((event as MessageEvent<string>).data) as ChatLine));
  stream.addEventListener('state', (event) => {
    const next = JSON.parse((event as MessageEvent<string>).data) as Status;
    if (status.textContent !== next.text) status.textContent = next.text;
    if (next.state !== root.dataset.state) {
      root.dataset.state = next.state;
      // Ending the chat or a long wait changes what the page offers: those parts come from the server.
      if (next.state === 'written') for (const part of root.querySelectorAll<HTMLElement>('[data-live-only]')) part.hidden = true;
      if (next.state !== 'waiting' && longWait) longWait.hidden = true;
    }
  });

  // Ctrl+Enter (or Cmd+Enter) sends; Enter alone starts a new line.
  box.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  let busy = false;
  form.addEventListener('submit', async (event) => {
    const submitter = (event as SubmitEvent).submitter as HTMLButtonElement | null;
    // Leaving the chat (another action on the same form) goes through the page.
    if (submitter?.hasAttribute('formaction')) return;
    event.preventDefault();
    if (busy) return;
    if (!box.value.trim()) {
      box.focus();
      return;
    }
    busy = true;
    sending.textContent = texts.sending;
    try {
      const response = await fetch(form.action, { method: 'POST', body: new FormData(form), redirect: 'manual' });
      // Sent: the action answers with a 303 to the page (an opaque redirect here).
      if (response.type === 'opaqueredirect') {
        box.value = '';
        sending.textContent = texts.sent;
      } else if (response.status >= 400 && response.status < 500) {
        // Refused (too long, too many): the page says why, next to the box, with the text kept.
        form.submit();
        return;
      } else {
        throw new Error(String(response.status));
      }
    } catch {
      sending.textContent = texts.failed;
    }
    busy = false;
    box.focus();
  });
}
