import type { Translate } from '../i18n';

/** Who wrote a message of the conversation, as agents read it ("Note de Claire", "Appel de Marc"). */
export function agentAuthorLabel(t: Translate, requesterName: string, m: { author: string; authorName: string | null; internal: boolean; channel: string }): string {
  if (m.author === 'system') return t('agent.request.system');
  if (m.author === 'requester') return t('agent.request.fromRequester', { name: requesterName });
  const name = m.authorName ?? t('agent.request.support');
  if (m.internal) return t('agent.request.noteBy', { name });
  return m.channel === 'phone' ? t('agent.request.callBy', { name }) : m.channel === 'in-person' ? t('agent.request.visitBy', { name }) : t('agent.request.replyBy', { name });
}
