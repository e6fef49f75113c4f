/** Signing in and out, and setting a password from a link. */
import { type ActionAPIContext, defineAction } from 'astro:actions';
import { formValues, isValidEmail } from '../../lib/request-form';
import { recordAudit } from '../../lib/server/audit';
import { rememberDevice, requestPasswordReset, setPasswordWithToken, signIn } from '../../lib/server/auth/agents';
import { safeReturn, SIGN_IN_PATH } from '../../lib/server/auth/guard';
import { DEVICE_COOKIE, invalidateSession, SESSION_COOKIE } from '../../lib/server/auth/session';
import { getDb } from '../../lib/server/db';
import { kickMailWorker } from '../../lib/server/mail/sender';
import { clientKey, consumeRateLimit } from '../../lib/server/rate-limit';
import type { FormMessage } from '../request';
import { type AgentOutcome, fail, id, mailSettings } from './shared';

const cookieOptions = (context: ActionAPIContext, expires?: Date) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'lax' as const,
  // Behind a TLS proxy the server may see http: the public address says it is served over https.
  secure: context.url.protocol === 'https:' || (process.env.PUBLIC_ORIGIN ?? '').startsWith('https:'),
  expires,
});

export const authActions = {
  signIn: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const values = formValues(form);
      const email = values.get('email').trim();
      const password = values.get('password');
      const errors: FormMessage[] = [];
      if (!email) errors.push({ field: 'email', message: 'agent.errors.emailRequired' });
      else if (!isValidEmail(email)) errors.push({ field: 'email', message: 'agent.errors.emailInvalid' });
      if (!password) errors.push({ field: 'password', message: 'agent.errors.passwordRequired' });
      if (errors.length > 0) return fail(...errors);
      const result = await signIn(await getDb(), email, password.slice(0, 1024), context.clientAddress, context.cookies.get(DEVICE_COOKIE)?.value);
      if (!result.ok) {
        return result.reason === 'throttled'
          ? fail({ message: 'agent.errors.throttled', params: { minutes: Math.max(1, Math.ceil(result.retryAfter / 60)) } })
          : fail({ field: 'email', message: 'agent.errors.invalidCredentials' });
      }
      context.cookies.set(SESSION_COOKIE, result.token, cookieOptions(context, result.expiresAt));
      if (result.device) context.cookies.set(DEVICE_COOKIE, result.device.token, { ...cookieOptions(context, result.device.expiresAt), path: SIGN_IN_PATH, sameSite: 'strict' });
      return { ok: true, next: safeReturn(values.get('retour')) };
    },
  }),

  signOut: defineAction({
    accept: 'form',
    handler: async (_form: FormData, context): Promise<AgentOutcome> => {
      const { agent, session } = context.locals;
      if (agent && session) {
        const db = await getDb();
        await invalidateSession(db, session.id);
        await recordAudit(db, agent, 'sign-out');
      }
      context.cookies.delete(SESSION_COOKIE, { path: '/' });
      return { ok: true, next: `${SIGN_IN_PATH}?deconnecte=1` };
    },
  }),

  requestReset: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const email = formValues(form).get('email').trim();
      if (!email) return fail({ field: 'email', message: 'agent.errors.emailRequired' });
      if (!isValidEmail(email)) return fail({ field: 'email', message: 'agent.errors.emailInvalid' });
      const db = await getDb();
      const limit = await consumeRateLimit(db, { name: 'agent-reset', limit: 5, windowMs: 15 * 60_000 }, clientKey(context.clientAddress));
      if (!limit.allowed) return fail({ message: 'agent.errors.throttled', params: { minutes: Math.max(1, Math.ceil(limit.retryAfter / 60)) } });
      await requestPasswordReset(db, email, await mailSettings());
      kickMailWorker();
      return { ok: true, next: '/agent/mot-de-passe/?envoye=1' };
    },
  }),

  setPassword: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const values = formValues(form);
      const password = values.get('password');
      if (!password) return fail({ field: 'password', message: 'agent.errors.passwordRequired' });
      if (password !== values.get('confirm')) return fail({ field: 'confirm', message: 'agent.errors.passwordMismatch' });
      const db = await getDb();
      const result = await setPasswordWithToken(db, values.get('token'), password);
      if (!result.ok) return result.reason === 'weak' ? fail({ field: 'password', message: result.problem }) : fail({ message: 'agent.errors.linkInvalid' });
      // The link proved the mailbox: this browser is the agent's own, whatever others try.
      const device = await rememberDevice(db, result.agentId);
      context.cookies.set(DEVICE_COOKIE, device.token, { ...cookieOptions(context, device.expiresAt), path: SIGN_IN_PATH, sameSite: 'strict' });
      return { ok: true, next: `${SIGN_IN_PATH}?mot-de-passe=1` };
    },
  }),

  /** A reply, an internal note, or a call or visit recorded; or help content inserted into it. */
};
