import { type Locale, type UiKey, formatDate, useTranslations } from '../../../i18n';
import { formatReference } from '../../request-form';

export interface Mail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Block = string | { link: string } | { quote: string };

/** One mail in two parts: plain text (read by every client) and simple, accessible HTML. */
function compose(locale: Locale, subject: string, blocks: Block[], signature: string): Mail {
  const text = [...blocks.map((b) => (typeof b === 'string' ? b : 'link' in b ? b.link : b.quote.replace(/^/gm, '> '))), '--', signature].join('\n\n');
  const html = [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: system-ui, sans-serif; font-size: 16px; line-height: 1.5; max-width: 40em;">',
    ...blocks.map((b) =>
      typeof b === 'string'
        ? `<p>${escapeHtml(b).replace(/\n/g, '<br>')}</p>`
        : 'link' in b
          ? `<p><a href="${escapeHtml(b.link)}">${escapeHtml(b.link)}</a></p>`
          : `<blockquote style="border-inline-start: 4px solid #ccc; margin: 0; padding-inline-start: 1em;">${escapeHtml(b.quote).replace(/\n/g, '<br>')}</blockquote>`,
    ),
    `<hr><p>${escapeHtml(signature).replace(/\n/g, '<br>')}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export interface MailContext {
  locale: Locale;
  reference: string;
  name: string;
  procedure: string;
  link: string;
  /** Authority name and phone, for the signature. */
  authority: { name: string; phone: string };
  /** A mailbox is connected: an answer to the mail joins the request (otherwise: use the link). */
  replyByMail?: boolean;
}

function parts(context: MailContext) {
  const t = useTranslations(context.locale);
  const params = { name: context.name, procedure: context.procedure, reference: formatReference(context.reference) };
  const line = (key: UiKey, extra: Record<string, string> = {}) => t(key, { ...params, ...extra });
  const signature = `${context.authority.name}\n${t('mail.signaturePhone', { phone: context.authority.phone })}`;
  const privateLink = line(context.replyByMail ? 'mail.linkPrivateReply' : 'mail.linkPrivate');
  return { t, line, signature, privateLink };
}

export function acknowledgementMail(context: MailContext, due: Date): Mail {
  const { line, signature, privateLink } = parts(context);
  return compose(
    context.locale,
    line('mail.ack.subject'),
    [line('mail.greeting'), line('mail.ack.received'), line('mail.ack.due', { due: formatDate(context.locale, due) }), line('mail.linkIntro'), { link: context.link }, privateLink],
    signature,
  );
}

export function linkMail(context: MailContext): Mail {
  const { line, signature, privateLink } = parts(context);
  return compose(context.locale, line('mail.link.subject'), [line('mail.greeting'), line('mail.link.asked'), { link: context.link }, privateLink, line('mail.link.notYou')], signature);
}

export function replyMail(context: MailContext, reply: { body: string; author: string }): Mail {
  const { line, signature, privateLink } = parts(context);
  return compose(
    context.locale,
    line('mail.reply.subject'),
    [line('mail.greeting'), line('mail.reply.intro', { author: reply.author }), { quote: reply.body }, line('mail.reply.answerHere'), { link: context.link }, privateLink],
    signature,
  );
}

/** A new status; a resolution also asks how it went (`askSatisfaction`), at the same private link. */
export function statusMail(context: MailContext, status: 'open' | 'waiting' | 'resolved' | 'closed', askSatisfaction = false): Mail {
  const { line, signature, privateLink } = parts(context);
  const key = `mail.status.${status}` as UiKey;
  const ask: Block[] = askSatisfaction ? [line('mail.satisfaction.ask'), { link: `${context.link}#avis` }, line('mail.satisfaction.short')] : [];
  return compose(context.locale, line('mail.status.subject'), [line('mail.greeting'), line(key), { link: context.link }, ...ask, privateLink], signature);
}

/** The mails an agent receives: an invitation to the workspace, a password-reset link. */
export function agentAccessMail(
  locale: Locale,
  purpose: 'invite' | 'reset',
  context: { name: string; link: string; authority: string; hours: number },
): Mail {
  const t = useTranslations(locale);
  const params = { name: context.name, authority: context.authority, hours: context.hours };
  return compose(
    locale,
    t(`mail.agent.${purpose}.subject`, params),
    [t('mail.agent.greeting', params), t(`mail.agent.${purpose}.body`, params), { link: context.link }, t(`mail.agent.${purpose}.expiry`, params), t('mail.agent.notYou')],
    context.authority,
  );
}

/** To a resident who asked to be told when a known problem is fixed (no request, no private link). */
export function knownProblemFixedMail(locale: Locale, context: { title: string; message: string; helpLink: string; authority: { name: string; phone: string } }): Mail {
  const t = useTranslations(locale);
  const signature = `${context.authority.name}\n${t('mail.signaturePhone', { phone: context.authority.phone })}`;
  const blocks: Block[] = [t('mail.problem.greeting'), t('mail.problem.fixed', { title: context.title })];
  if (context.message) blocks.push({ quote: context.message });
  blocks.push(t('mail.problem.stillStuck'), { link: context.helpLink }, t('mail.problem.why'));
  return compose(locale, t('mail.problem.subject', { title: context.title }), blocks, signature);
}
