import type { Translate } from '../i18n';
import { formatReference } from './request-form';

/**
 * What the portal itself writes in a conversation is stored as a code and its value
 * (`merged:123456789`), and worded here in the reader's language: a resident at their link, an
 * agent in the workspace.
 */
export function systemMessageText(body: string, t: Translate, reader: 'resident' | 'agent'): string {
  const colon = body.indexOf(':');
  const code = colon < 0 ? body : body.slice(0, colon);
  const value = colon < 0 ? '' : body.slice(colon + 1);
  switch (code) {
    case 'merged':
      return reader === 'resident' ? t('track.merged', { reference: formatReference(value) }) : t('agent.request.mergedInto', { reference: formatReference(value) });
    case 'merged-here':
      return t('agent.request.mergedHere', { reference: formatReference(value) });
    case 'mail-dropped':
      return t('request.mail.dropped', { files: value });
    case 'mail-too-large':
      return t('request.mail.tooLarge', { size: value });
    case 'mail-follow-up':
      return t('request.mail.followUp', { reference: formatReference(value) });
    default:
      return body;
  }
}
