/**
 * Access checks for the workspace. Pages call `agentPage` first thing; actions are wrapped in
 * `agentAction`. Both take the permission the page or action needs, so that a forgotten
 * check is visible in review; the middleware also refuses every workspace action to a
 * visitor without a session before any handler runs.
 */
import { type ActionAPIContext, ActionError } from 'astro:actions';
import type { AstroGlobal } from 'astro';
import { can, type Permission } from './permissions';
import type { SignedInAgent } from './session';

/** Actions open to visitors without a session: signing in and recovering a password. */
export const PUBLIC_AGENT_ACTIONS = new Set(['agent.signIn', 'agent.requestReset', 'agent.setPassword']);

export const SIGN_IN_PATH = '/agent/connexion/';

/** Where to send a visitor who needs to sign in, coming back here afterwards. */
export function signInPath(from: URL): string {
  const back = from.pathname + from.search;
  return back.startsWith('/agent/') && back !== SIGN_IN_PATH ? `${SIGN_IN_PATH}?retour=${encodeURIComponent(back)}` : SIGN_IN_PATH;
}

/** A return address is followed only if it stays in the workspace (no open redirect). */
export function safeReturn(value: string | null | undefined): string {
  return value && /^\/agent\/[^\\]*$/.test(value) && !value.startsWith('//') ? value : '/agent/';
}

export type PageAccess = { agent: SignedInAgent; response?: undefined } | { agent?: undefined; response: Response } | { agent?: undefined; response?: undefined; forbidden: true };

/** The signed-in agent if they hold `permission`; otherwise a redirect to sign in, or 403. */
export function agentPage(Astro: AstroGlobal, permission: Permission): PageAccess {
  const agent = Astro.locals.agent;
  if (!agent) return { response: Astro.redirect(signInPath(Astro.url), 303) };
  if (!can(agent, permission)) {
    Astro.response.status = 403;
    return { forbidden: true };
  }
  return { agent };
}

/** The agent calling an action, who must hold `permission`; anyone else is refused. */
export function requireAgent(context: ActionAPIContext, permission: Permission): SignedInAgent {
  const agent = context.locals.agent;
  if (!agent) throw new ActionError({ code: 'UNAUTHORIZED' });
  if (!can(agent, permission)) throw new ActionError({ code: 'FORBIDDEN' });
  return agent;
}
