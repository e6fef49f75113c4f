import type { AstroGlobal } from 'astro';
import { actions } from 'astro:actions';
import { getDb } from '../db';
import { findRequestByToken } from '../requests';
import { type ActionResult, refusalStatus } from '../requests/page-flow';

/**
 * What the chat's pages do before rendering (as the request's pages do): after a successful
 * action, on to the next page with a 303; otherwise the status code a refusal deserves, and the
 * request the private link leads to.
 */
export async function prepareChatPage(Astro: AstroGlobal, token?: string) {
  const result = [actions.chat.start, actions.chat.send, actions.chat.leave].map((action) => Astro.getActionResult(action)).find((r) => r !== undefined) as ActionResult | undefined;
  if (result?.data?.ok && result.data.next) return { redirect: Astro.redirect(result.data.next, 303) };
  let status = refusalStatus(result);
  const found = token === undefined ? undefined : await findRequestByToken(await getDb(), token);
  if (found && !found.ok) status = found.reason === 'expired' ? 410 : 404;
  if (status) Astro.response.status = status;
  return { result, found };
}
