import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import type { AgentOutcome } from '../../../actions/agent';
import { type Locale, type Translate, useTranslations } from '../../../i18n';
import { authority } from '../catalog';
import { pageMessages, type PageMessages } from '../../form-messages';
import { type FormValues, formValues } from '../../request-form';
import { agentPage } from './guard';
import type { Permission } from './permissions';
import type { SignedInAgent } from './session';

export type AgentActionName = keyof typeof actions.agent;
export type AgentActionResult = { data?: AgentOutcome; error?: { code: string; status?: number } };

export interface AgentPage {
  /** Where to send the browser instead of rendering: sign in first, or the next page after a success. */
  redirect?: Response;
  /** The agent, when they hold the permission (absent on a 403 page and on public pages signed out). */
  agent?: SignedInAgent;
  /** Signed in, without the permission: the page says so (status 403 is set). */
  forbidden: boolean;
  locale: Locale;
  t: Translate;
  /** The workspace action posted to this page, its name, its messages, and what was posted. */
  result?: AgentActionResult;
  name?: AgentActionName;
  messages: PageMessages;
  posted?: FormValues;
}

const STATUS_BY_CODE: Record<string, number> = { CONTENT_TOO_LARGE: 413, UNAUTHORIZED: 401, FORBIDDEN: 403 };

/**
 * What every workspace route does first: check access (`permission`, or null for the sign-in
 * and password pages), follow a successful action to the next page with a 303, set the status
 * code a refused form deserves, and gather what the page shows of it in the agent's language.
 * Only a route's frontmatter can redirect, hence a helper whose result the route acts on.
 */
export async function prepareAgentPage(Astro: AstroGlobal, permission: Permission | null, names: AgentActionName[]): Promise<AgentPage> {
  let agent: SignedInAgent | undefined = Astro.locals.agent;
  let forbidden = false;
  if (permission) {
    const access = agentPage(Astro, permission);
    if (access.response) return { redirect: access.response, forbidden, locale: 'fr', t: useTranslations('fr'), messages: { summary: [], byField: new Map(), tooLarge: false } };
    forbidden = !access.agent;
    agent = access.agent;
  }
  const locale = Astro.locals.agent?.locale ?? 'fr';
  const t = useTranslations(locale);
  let name: AgentActionName | undefined;
  let result: AgentActionResult | undefined;
  for (const candidate of names) {
    result = Astro.getActionResult(actions.agent[candidate]) as AgentActionResult | undefined;
    if (result) {
      name = candidate;
      break;
    }
  }
  if (result?.data?.ok && result.data.next) return { redirect: Astro.redirect(result.data.next, 303), forbidden, locale, t, messages: { summary: [], byField: new Map(), tooLarge: false } };
  if (result?.error) Astro.response.status = STATUS_BY_CODE[result.error.code] ?? result.error.status ?? 400;
  else if (result?.data && !result.data.ok) Astro.response.status = result.data.errors.some((e) => e.message === 'agent.errors.throttled') ? 429 : 400;
  const messages = pageMessages(locale, result, (await authority()).contact.phone);
  // What was typed comes back into the form after a refusal, or after an insertion into a reply.
  const posted = result && !messages.tooLarge ? formValues(await Astro.request.formData().catch(() => new FormData())) : undefined;
  return { agent, forbidden, locale, t, result, name, messages, posted };
}
