import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import type { AgentOutcome } from '../../../actions/agent';
import { agentPage } from './guard';
import type { Permission } from './permissions';
import type { SignedInAgent } from './session';

export type AgentActionName = keyof typeof actions.agent;
export type AgentActionResult = { data?: AgentOutcome; error?: { code: string; status?: number } };

export type PreparedAgentPage =
  | { redirect: Response }
  | { redirect?: undefined; forbidden: true }
  | { redirect?: undefined; forbidden?: undefined; agent: SignedInAgent | undefined; result: AgentActionResult | undefined; name: AgentActionName | undefined };

const STATUS_BY_CODE: Record<string, number> = { CONTENT_TOO_LARGE: 413, UNAUTHORIZED: 401, FORBIDDEN: 403 };

/**
 * What every workspace route does first: check access (`permission`, or none for the sign-in
 * and password pages), follow a successful action to the next page with a 303, and set the
 * status code a refused form deserves. Only a route's frontmatter can redirect, hence this.
 */
export function prepareAgentPage(Astro: AstroGlobal, permission: Permission | null, names: AgentActionName[]): PreparedAgentPage {
  let agent: SignedInAgent | undefined;
  if (permission) {
    const access = agentPage(Astro, permission);
    if (access.response) return { redirect: access.response };
    if (!access.agent) return { forbidden: true };
    agent = access.agent;
  } else {
    agent = Astro.locals.agent;
  }
  let name: AgentActionName | undefined;
  let result: AgentActionResult | undefined;
  for (const candidate of names) {
    const found = Astro.getActionResult(actions.agent[candidate]) as AgentActionResult | undefined;
    if (found) {
      name = candidate;
      result = found;
      break;
    }
  }
  if (result?.data?.ok && result.data.next) return { redirect: Astro.redirect(result.data.next, 303) };
  if (result?.error) Astro.response.status = STATUS_BY_CODE[result.error.code] ?? result.error.status ?? 400;
  else if (result?.data && !result.data.ok) Astro.response.status = result.data.errors.some((e) => e.message === 'agent.errors.throttled') ? 429 : 400;
  return { agent, result, name };
}
