// The server's log: JSON lines on standard output, written asynchronously by pino (a slow log
// reader no longer slows the requests), with the same shape as before — time, level as a word,
// and the fields of each entry — and without personal data: email addresses in messages are
// replaced, paths lose their query strings and secret tokens.
import pino from 'pino';

/** Since when the log's reader has not taken what is written (0: it has). */
let blockedSince = 0;

// Several processes (the supervisor and its workers) write to one standard output: writes of at
// most 4 KB are never interleaved with another process's. A reader that stops reading must not
// stop the server: past 16 MB waiting, lines are dropped, and a flush waits 2 s at most.
const destination = pino.destination({
  sync: false,
  maxWrite: 4096,
  maxLength: 16 * 1024 * 1024,
  retryEAGAIN: () => {
    blockedSince ||= Date.now();
    return Date.now() - blockedSince < 2_000;
  },
});
destination.on('write', () => (blockedSince = 0));
// Given up on a reader that is gone: the lines are lost, the server goes on.
destination.on('error', () => {});

export const logger = pino(
  {
    base: undefined,
    messageKey: 'msg',
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
  },
  destination,
);

/** Writes what is still buffered: before the process exits. */
export function flushLog() {
  try {
    destination.flushSync();
  } catch {
    // Nothing written yet (the stream is not open): nothing to flush.
  }
}

const EMAIL = /[^\s@<>"'()]+@[^\s@<>"'()]+\.[a-z]{2,}/gi;

/** A message as it may be logged: an address (a mail server refusing a recipient) is never kept. */
export const scrubbed = (/** @type {string} */ message) => message.replace(EMAIL, '[email]');

/**
 * The path as logged: no query string (searches hold what residents typed) and no secret
 * (a private link's token, a one-time sign-in link), so that logs hold no personal data.
 */
export function loggedPath(url = '/') {
  const path = url.split('?')[0] ?? '/';
  return path
    .split('/')
    // A token is a long run of letters and digits; a content slug is lowercase words and hyphens.
    .map((segment) => (/^[\w-]{24,}$/.test(segment) && !/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(segment) ? ':secret' : segment))
    .join('/');
}
