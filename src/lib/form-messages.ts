/**
 * Turns what a request action answered into messages in the page's language: one list for
 * the error summary (each linked to its field) and one message per field, the same words in
 * both places.
 */
import type { FormMessage, FormOutcome } from '../actions/request';
import { type Locale, translateKey, type UiKey } from '../i18n';
import type { Step } from './request-form';

export interface PageMessages {
  summary: { field?: string; message: string }[];
  byField: Map<string, string>;
  /** The refused body was too large to be read back into the form. */
  tooLarge: boolean;
}

const STEP_TITLES: Record<Step, UiKey> = {
  procedure: 'request.check.procedure',
  problem: 'request.check.problem',
  attachments: 'request.check.attachments',
  who: 'request.check.who',
  about: 'request.check.about',
  answer: 'request.check.answer',
  check: 'request.check.title',
};

export function pageMessages(locale: Locale, result: { data?: unknown; error?: { code: string } } | undefined, phone: string): PageMessages {
  const summary: PageMessages['summary'] = [];
  const byField = new Map<string, string>();
  const tooLarge = result?.error?.code === 'CONTENT_TOO_LARGE';
  const translate = (m: FormMessage) => {
    const params = { ...m.params };
    if (m.message === 'request.check.missing' && typeof params.step === 'string') params.step = translateKey(locale, STEP_TITLES[params.step as Step], 'request.errors.unknownValue');
    return translateKey(locale, m.message, 'request.errors.unknownValue', params);
  };
  if (result?.error) {
    // Refused before the action ran: too large, not a form, or a forged field.
    const message = tooLarge ? translateKey(locale, 'request.errors.bodyTooLarge', 'request.errors.unknownValue') : translateKey(locale, 'request.errors.rejected', 'request.errors.unknownValue', { phone });
    summary.push({ field: tooLarge ? 'f-files' : undefined, message });
    if (tooLarge) byField.set('files', message);
  } else {
    const outcome = result?.data as FormOutcome | undefined;
    if (outcome && !outcome.ok) {
      for (const m of outcome.errors) {
        const text = translate(m);
        if (m.field && !byField.has(m.field)) byField.set(m.field, text);
        summary.push({ field: m.field ? (m.field.startsWith('step-') ? m.field : `f-${m.field}`) : undefined, message: text });
      }
    }
  }
  return { summary, byField, tooLarge };
}
