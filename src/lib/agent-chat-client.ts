/**
 * The workspace's live part, on every page of an agent who answers chats: the "chats waiting"
 * badge and the tab's title follow the board; while a resident waits and the agent is present,
 * a short sound and a browser notification come back every 20 seconds (the sound can be turned
 * off; the notification needs the agent's permission, asked from the chats page). On a chat's
 * request page, the resident's new messages join the conversation (a log: announced once).
 * Without JavaScript, the badge is up to date at each page load and the pages have a reload link.
 */
interface Board {
  waiting: number;
  available: boolean;
  badge: string;
  title: string;
}

interface Message {
  id: number;
  author: 'requester' | 'agent' | 'system';
  internal: boolean;
  who: string;
  when: string;
  body: string;
}

const REMIND_MS = 20_000;
export const SOUND_KEY = 'guichet-chat-sound';

let audio: AudioContext | undefined;
/** Browsers let a page play sound only after the person used it: the context starts then. */
function unlockAudio() {
  audio ??= new AudioContext();
  void audio.resume();
}

function beep() {
  if (!audio || audio.state !== 'running' || localStorage.getItem(SOUND_KEY) === 'off') return;
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
  tone.connect(gain).connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.4);
}

export function enhanceAgentChats(): void {
  const root = document.querySelector<HTMLElement>('[data-agent-stream]');
  if (!root || !('EventSource' in window)) return;
  document.addEventListener('pointerdown', unlockAudio, { once: true });
  document.addEventListener('keydown', unlockAudio, { once: true });
  const baseTitle = document.title;
  const chatLog = document.querySelector<HTMLOListElement>('[data-agent-chat-log]');
  const params = new URLSearchParams();
  if (chatLog) {
    params.set('demande', chatLog.dataset.reference ?? '');
    params.set('apres', chatLog.dataset.lastEvent ?? '0');
  }
  const stream = new EventSource(`${root.dataset.agentStream}${params.size > 0 ? `?${params}` : ''}`);

  let reminder: ReturnType<typeof setInterval> | undefined;
  let board: Board | undefined;
  const remind = () => {
    if (!board || board.waiting === 0 || !board.available) return;
    beep();
    if ('Notification' in window && Notification.permission === 'granted') {
      // The same tag: a new notification replaces the last one instead of piling up.
      new Notification(board.title, { tag: 'guichet-chat', body: board.badge, silent: true });
    }
  };
  stream.addEventListener('board', (event) => {
    board = JSON.parse((event as MessageEvent<string>).data) as Board;
    for (const badge of document.querySelectorAll<HTMLElement>('[data-chat-badge]')) {
      badge.textContent = board.badge;
      badge.hidden = !board.badge;
    }
    document.title = board.waiting > 0 ? `(${board.waiting}) ${baseTitle}` : baseTitle;
    // On the chats page: the list was loaded with another count; say so once, with a way to reload it.
    const changed = document.querySelector<HTMLElement>('[data-board-changed]');
    if (changed && Number(changed.dataset.waiting) !== board.waiting && !changed.textContent) {
      const link = document.createElement('a');
      link.href = location.pathname;
      link.textContent = changed.dataset.link ?? '';
      changed.append(`${changed.dataset.text ?? ''} `, link);
    }
    if (board.waiting > 0 && board.available) {
      if (!reminder) {
        remind();
        reminder = setInterval(remind, REMIND_MS);
      }
    } else if (reminder) {
      clearInterval(reminder);
      reminder = undefined;
    }
  });

  if (!chatLog) return;
  const shown = new Set([...chatLog.querySelectorAll<HTMLElement>('[data-message]')].map((li) => Number(li.dataset.message)));
  const status = document.querySelector<HTMLElement>('[data-agent-chat-status]');
  stream.addEventListener('message', (event) => {
    const m = JSON.parse((event as MessageEvent<string>).data) as Message;
    if (shown.has(m.id)) return;
    shown.add(m.id);
    const item = document.createElement('li');
    item.id = `m-${m.id}`;
    item.dataset.message = String(m.id);
    item.className = m.internal ? 'g-message a-note' : m.author === 'agent' ? 'g-message g-message--support' : 'g-message';
    const meta = document.createElement('p');
    meta.className = 'g-message__meta';
    const who = document.createElement('strong');
    who.textContent = m.who;
    meta.append(who, ` — ${m.when}`);
    const body = document.createElement('p');
    body.className = 'g-message__body';
    body.textContent = m.body;
    item.append(meta, body);
    chatLog.append(item);
    // The agent has it on screen: sending is not held back as if a message had come unseen.
    const seen = document.querySelector<HTMLInputElement>('#repondre input[name="seen"]');
    if (seen && Number(seen.value) < m.id) seen.value = String(m.id);
  });
  stream.addEventListener('state', (event) => {
    const next = JSON.parse((event as MessageEvent<string>).data) as { text: string };
    if (status && status.textContent !== next.text) status.textContent = next.text;
  });
}

/** The chats page's switches for the reminders: the browser's permission to notify, and the sound. */
export function enhanceChatAlerts(): void {
  const panel = document.querySelector<HTMLElement>('[data-chat-alerts]');
  if (!panel) return;
  panel.hidden = false;
  const notify = panel.querySelector<HTMLButtonElement>('[data-notify-enable]');
  if (notify) {
    if (!('Notification' in window) || Notification.permission !== 'default') notify.hidden = true;
    notify.addEventListener('click', async () => {
      await Notification.requestPermission();
      notify.hidden = Notification.permission !== 'default';
    });
  }
  const sound = panel.querySelector<HTMLInputElement>('[data-sound-toggle]');
  if (sound) {
    sound.checked = localStorage.getItem(SOUND_KEY) !== 'off';
    sound.addEventListener('change', () => localStorage.setItem(SOUND_KEY, sound.checked ? 'on' : 'off'));
  }
}
