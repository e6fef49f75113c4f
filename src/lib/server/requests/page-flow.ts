import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import type { FormOutcome } from '../../../actions/request';
import type { Locale } from '../../../i18n/routes';
import { type Step, stepPath } from '../../request-form';
import { getDb } from '../db';
import { findRequestByToken } from '.';
import { type Draft, DRAFT_COOKIE, findDraft } from './drafts';

const ACTION_NAMES = ['step', 'files', 'removeFile', 'submit', 'reply', 'close', 'resend', 'satisfaction', 'subscribe'] as const;

/** What the request action posted to this page answered, if one was. */
export type ActionResult = { data?: FormOutcome; error?: { code: string; status?: number } };

/** The status code of a refused form: what went wrong decides it. */
export function refusalStatus(result: ActionResult | undefined): number | undefined {
  if (!result) return undefined;
  if (result.error) return result.error.code === 'CONTENT_TOO_LARGE' ? 413 : (result.error.status ?? 400);
  const outcome = result.data!;
  if (outcome.ok) return undefined;
  if (outcome.expired || outcome.gone === 'expired') return 410;
  if (outcome.gone === 'unknown') return 404;
  return outcome.errors.some((e) => e.message === 'request.errors.rateLimited') ? 429 : 400;
}

export interface PreparedPage {
  /** Where to send the browser instead of rendering (after a successful action). */
  redirect?: Response;
  /** The action posted to this page, when it refused the post. */
  result?: ActionResult;
  /** This browser's draft, on the pages of the form. */
  draft?: Draft;
  /** The draft this step needs is gone (expired, never started, or already sent). */
  expired?: boolean;
  /** The request a link leads to, on a tracking page. */
  found?: Awaited<ReturnType<typeof findRequestByToken>>;
}

/**
 * What each request route does before rendering: after an action succeeded, send the browser
 * on (303, so that a reload never posts twice); otherwise load the draft or the request the
 * page shows, and set the status code the page deserves. Only a route's own frontmatter can
 * redirect or set the status, hence this helper, whose result the route hands to the page.
 */
export async function prepareRequestPage(Astro: AstroGlobal, locale: Locale, page: { step?: Step | 'confirmation'; token?: string }): Promise<PreparedPage> {
  const result = ACTION_NAMES.map((name) => Astro.getActionResult(actions.request[name])).find((r) => r !== undefined) as ActionResult | undefined;
  if (result?.data?.ok && result.data.next) return { redirect: Astro.redirect(result.data.next, 303) };
  let status = refusalStatus(result);
  const prepared: PreparedPage = { result };
  const { step, token } = page;
  if (step) {
    prepared.draft = await findDraft(await getDb(), Astro.cookies.get(DRAFT_COOKIE)?.value);
    prepared.expired = Boolean(result?.data && !result.data.ok && result.data.expired);
    if (step !== 'procedure' && step !== 'confirmation') {
      // A draft already sent leads to its confirmation; only the first step starts a new one.
      if (prepared.draft?.requestId && Astro.request.method === 'GET') return { redirect: Astro.redirect(stepPath(locale, 'confirmation'), 303) };
      if (!prepared.draft || prepared.draft.requestId) prepared.expired = true;
    }
    if (prepared.expired) status = 410;
  }
  if (token !== undefined) {
    prepared.found = await findRequestByToken(await getDb(), token);
    if (!prepared.found.ok) status = prepared.found.reason === 'expired' ? 410 : 404;
  }
  if (status) Astro.response.status = status;
  return prepared;
}
