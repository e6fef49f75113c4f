import { ActionError, getActionContext } from 'astro:actions';
import { defineMiddleware } from 'astro:middleware';
import { PUBLIC_AGENT_ACTIONS, signInPath } from './lib/server/auth/guard';
import { SESSION_COOKIE, validateSessionToken } from './lib/server/auth/session';
import { bodyLimitFor, REFUSED_BODY_HEADER } from './lib/server/body-limits.mjs';
import { getDb } from './lib/server/db';
import { startChatSweep } from './lib/server/chat/chats';
import { startMailIntake } from './lib/server/mail/intake';
import { loadWorkspaceSettings } from './lib/server/workspace/settings';
import { startMailWorker } from './lib/server/mail/sender';
import { requestSettings } from './lib/server/requests/settings';
import { startUp } from './lib/server/start-up';
/** Pages reached with a secret (a draft cookie, a token in the address). */
const PRIVATE_PATHS = /^\/(?:(?:en\/)?(?:demande|request|suivi|track)\/|agent(?:\/|$))/;
const WORKSPACE = /^\/agent(?:\/|$)/;

export const onRequest = defineMiddleware(async (context, next) => {
  if (context.isPrerendered) return next();
  await startUp();
  startMailWorker(getDb);
  startMailIntake(getDb, requestSettings);
  startChatSweep(getDb, async (db) => (await loadWorkspaceSettings(db)).hours);
  const { action, setActionResult, serializeActionResult } = getActionContext(context);
  const agentAction = action?.name.startsWith('agent.');
  if (WORKSPACE.test(context.url.pathname) || agentAction) {
    // The session is checked once here; pages and actions then check the permission they need.
    const signedIn = await validateSessionToken(await getDb(), context.cookies.get(SESSION_COOKIE)?.value);
    if (signedIn) {
      context.locals.agent = signedIn.agent;
      context.locals.session = signedIn.session;
    } else if (context.cookies.has(SESSION_COOKIE)) {
      context.cookies.delete(SESSION_COOKIE, { path: '/' });
    }
    if (agentAction && !signedIn && !PUBLIC_AGENT_ACTIONS.has(action!.name)) {
      // No workspace action runs for a visitor without a session, whatever the handler does.
      return action!.calledFrom === 'form' ? context.redirect(signInPath(context.url), 303) : new Response(null, { status: 401, headers: { 'Cache-Control': 'no-store' } });
    }
  }
  if (action && context.request.method === 'POST') {
    // The server in front (scripts/server) read the body within its limit and marks a refused
    // one; the announced length is checked too, for `astro dev`, which has no server in front.
    const length = Number(context.request.headers.get('content-length') ?? 0);
    if (context.request.headers.has(REFUSED_BODY_HEADER) || length > bodyLimitFor(context.url).bytes) {
      // The action is not run: the page shows "too large", as for any refused body.
      setActionResult(action.name, serializeActionResult({ data: undefined, error: new ActionError({ code: 'CONTENT_TOO_LARGE' }) }));
    }
  }
  const response = await next();
  if (PRIVATE_PATHS.test(context.url.pathname)) {
    // Never cached by a shared proxy or kept by the browser's back-forward cache on a shared
    // computer, never indexed, and the secret in the address is not sent to other sites.
    // (`no-referrer` would also make the browser send `Origin: null` with the page's own
    // forms, which the origin check rightly refuses.)
    // (A chat's event stream says `no-cache, no-transform` itself: stored nowhere either.)
    if (!response.headers.get('Content-Type')?.startsWith('text/event-stream')) response.headers.set('Cache-Control', 'no-store');
    response.headers.set('Referrer-Policy', 'same-origin');
    response.headers.set('X-Robots-Tag', 'noindex');
  }
  return response;
});
