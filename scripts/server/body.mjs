// Reading a request body before Astro sees it, within limits that hold on what is actually
// received, not on what the request announces: bytes are counted as they stream (chunked or
// not), and form bodies are parsed on the way by @fastify/busboy (the parser undici and
// fastify use) with limits on fields, files and field sizes, so that no body within the byte
// limit can make the form parser behind it build millions of entries.
import Busboy from '@fastify/busboy';

/**
 * Bodies held in memory by one process at once, all requests together. Past it, a body is
 * refused as "busy" (503) rather than taking the process to its memory limit.
 */
export const BODY_BUDGET_BYTES = Number(process.env.GUICHET_BODY_BUDGET_MB || 128) * 1024 * 1024;

/** After a refusal, what is still read (and thrown away) so that the client sees the answer. */
const DISCARD_BYTES = 64 * 1024 * 1024;
const DISCARD_MS = 10_000;

let held = 0;

/**
 * A body past this size is parsed one at a time per process (a form parser holds several
 * copies of what it reads, files included): the others wait their turn, their sockets paused,
 * and are refused as "busy" after a while or past a queue of a few.
 */
const LARGE_BYTES = 1024 * 1024;
const LARGE_WAIT_MS = 20_000;
const LARGE_QUEUE = 8;
let largeBusy = false;
/** @type {((ok: boolean) => void)[]} */
const largeQueue = [];

/** @returns {Promise<boolean>} whether the turn came (false: waited too long, or too many wait) */
function takeLargeTurn() {
  if (!largeBusy) {
    largeBusy = true;
    return Promise.resolve(true);
  }
  if (largeQueue.length >= LARGE_QUEUE) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      largeQueue.splice(largeQueue.indexOf(waiter), 1);
      resolve(false);
    }, LARGE_WAIT_MS).unref();
    const waiter = (/** @type {boolean} */ ok) => {
      clearTimeout(timer);
      resolve(ok);
    };
    largeQueue.push(waiter);
  });
}

function giveLargeTurn() {
  const next = largeQueue.shift();
  if (next) next(true);
  else largeBusy = false;
}

/**
 * @typedef {{ body: Buffer[] } | { refused: 'too-large' | 'busy' | 'malformed' } | { aborted: true }} BodyResult
 */

/**
 * A counter of fields and files that refuses as soon as a limit is passed; undefined for
 * bodies that are not forms (JSON, plain text), which only the byte limit bounds.
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {import('../../src/lib/server/body-limits.mjs').BodyLimit} limit
 * @param {(reason: 'too-large' | 'malformed') => void} refuse
 */
function formParser(headers, limit, refuse) {
  const type = String(headers['content-type'] ?? '').toLowerCase();
  if (!type.startsWith('multipart/form-data') && !type.startsWith('application/x-www-form-urlencoded')) return undefined;
  let parser;
  try {
    parser = new Busboy({
      headers: /** @type {import('@fastify/busboy').BusboyHeaders} */ (headers),
      // One more than allowed: the parser drops what is past its limits without a word when it
      // is the body's last field, so the counting below is what refuses.
      limits: { fields: limit.parts + 1, parts: limit.parts + 1, files: limit.files + 1, fieldSize: limit.fieldBytes, fieldNameSize: 200, headerPairs: 20 },
    });
  } catch {
    // A multipart type without a boundary: no form parser can read it either.
    refuse('malformed');
    return undefined;
  }
  let parts = 0;
  let files = 0;
  parser.on('field', (_name, _value, nameTruncated, valueTruncated) => {
    parts += 1;
    if (nameTruncated || valueTruncated || parts > limit.parts) refuse('too-large');
  });
  parser.on('file', (_name, stream) => {
    parts += 1;
    files += 1;
    if (parts > limit.parts || files > limit.files) refuse('too-large');
    stream.resume();
  });
  for (const event of ['partsLimit', 'filesLimit', 'fieldsLimit']) parser.on(event, () => refuse('too-large'));
  parser.on('error', () => refuse('malformed'));
  return parser;
}

/**
 * Reads the body of `req` within `limit`. On a refusal the rest of the body is read and
 * thrown away for a few seconds (so that the client, still sending, can read the answer),
 * then the connection is closed.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {import('../../src/lib/server/body-limits.mjs').BodyLimit} limit
 * @returns {Promise<BodyResult>}
 */
export function readBody(req, res, limit) {
  return new Promise((resolve) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let counted = 0;
    let done = false;
    /** @type {'none' | 'waiting' | 'held'} */
    let large = 'none';
    const release = () => {
      held -= counted;
      counted = 0;
    };
    /** @param {BodyResult} result */
    const finish = (result) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      if ('refused' in result) {
        release();
        chunks.length = 0;
        // The answer waits for the rest of the body: a client still sending when the
        // connection closes would never read it.
        void discard(req).then(() => resolve(result));
        return;
      }
      // The body's bytes count against the budget until the answer is sent.
      res.once('close', release);
      resolve(result);
    };
    const refuse = (/** @type {'too-large' | 'busy' | 'malformed'} */ reason) => finish({ refused: reason });

    const announced = Number(req.headers['content-length']);
    if (Number.isFinite(announced) && announced > limit.bytes) return refuse('too-large');
    const parser = formParser(req.headers, limit, refuse);
    if (done) return;

    /** @param {Buffer} chunk */
    function onData(chunk) {
      size += chunk.length;
      if (size > limit.bytes) return refuse('too-large');
      if (held + chunk.length > BODY_BUDGET_BYTES) return refuse('busy');
      held += chunk.length;
      counted += chunk.length;
      chunks.push(chunk);
      parser?.write(chunk);
      // The parser may have refused the body just now: it is then being thrown away, not paused.
      if (done) return;
      if (size > LARGE_BYTES && large === 'none') {
        large = 'waiting';
        req.pause();
        void takeLargeTurn().then((ok) => {
          if (ok) {
            large = 'held';
            // Until the answer is sent: the page's parser holds the body until then.
            if (res.closed) giveLargeTurn();
            else res.once('close', giveLargeTurn);
          }
          if (done) return;
          if (!ok) return refuse('busy');
          req.resume();
        });
      }
    }
    function onEnd() {
      if (!parser) return finish({ body: chunks });
      parser.once('finish', () => finish({ body: chunks }));
      parser.end();
    }
    req.on('data', onData);
    req.on('end', onEnd);
    // The client went away before sending it all.
    req.once('close', () => req.complete || finish({ aborted: true }));
    req.once('error', () => finish({ aborted: true }));
  });
}

/**
 * Reads the rest of a refused body and throws it away; resolves once it is all read, or once
 * the client has sent too much or for too long (the connection is then closed).
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<void>}
 */
function discard(req) {
  if (req.complete || req.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let thrown = 0;
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    const close = () => {
      req.socket.destroy();
      done();
    };
    const timer = setTimeout(close, DISCARD_MS).unref();
    req.on('data', (chunk) => {
      thrown += chunk.length;
      if (thrown > DISCARD_BYTES) close();
    });
    req.once('end', done);
    req.once('close', done);
    req.resume();
  });
}
