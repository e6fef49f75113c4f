// What one request body may hold, shared by the server in front of Astro (scripts/server/,
// which counts every body as it streams, chunked or not) and the middleware (which shows the
// refusal on the form's own page).

/** Actions that take files; every other body is held to a small size. */
export const UPLOAD_ACTIONS = new Set(['request.files', 'request.reply', 'agent.write', 'agent.helpEntry', 'agent.file']);

/**
 * @typedef {object} BodyLimit
 * @property {number} bytes what is read at most, whatever the request announces
 * @property {number} parts form fields and files together (form-encoded or multipart)
 * @property {number} files files in a multipart body
 * @property {number} fieldBytes one text field's value
 */

/** @type {Record<'upload' | 'small', BodyLimit>} */
export const BODY_LIMITS = {
  // Five 10 MB files and the form around them. The form validates the files themselves (too
  // many, too heavy, wrong kind) with a message next to the field; these bounds only keep a
  // body from costing more than that. No form of the portal has more than a few dozen fields.
  upload: { bytes: 51 * 1024 * 1024, parts: 100, files: 20, fieldBytes: 256 * 1024 },
  small: { bytes: 64 * 1024, parts: 500, files: 0, fieldBytes: 64 * 1024 },
};

/** Set by the server on a refused body (a client's own value is always removed first). */
export const REFUSED_BODY_HEADER = 'x-guichet-refused-body';

/**
 * The action a request calls: a form posted to a page (`?_action=name`) or a call to
 * `/_actions/name`; undefined for anything else.
 * @param {URL} url
 */
export function actionName(url) {
  if (url.pathname.startsWith('/_actions/')) return url.pathname.slice('/_actions/'.length).replace(/\/$/, '');
  return url.searchParams.get('_action') ?? undefined;
}

/** @param {URL} url @returns {BodyLimit} */
export function bodyLimitFor(url) {
  const action = actionName(url);
  return action && UPLOAD_ACTIONS.has(action) ? BODY_LIMITS.upload : BODY_LIMITS.small;
}
