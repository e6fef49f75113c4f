/**
 * The editor's form and an entry's text, both ways. FAQ entries are edited field by field
 * (question, topic, procedures, keywords, answer in markdown); the other kinds as their whole
 * text (YAML, or frontmatter and markdown), checked the same way.
 */
import type { HelpKind } from '../../../../db/schema';
import type { FormValues } from '../../request-form';
import { composeSource, parseSource } from './source';
import type { Problem } from './validate';

export interface FaqFields {
  question: string;
  topic: string;
  procedures: string;
  keywords: string;
  translationOf: string;
  body: string;
}

export const FAQ_FIELDS = ['question', 'topic', 'procedures', 'keywords', 'translationOf', 'body'] as const;

/** Whether the kind is edited field by field (the others: as their whole text). */
export const editedByField = (kind: HelpKind) => kind === 'faq';

const lines = (value: unknown) => (Array.isArray(value) ? value.map(String).join('\n') : '');
const list = (text: string) =>
  text
    .split(/\n|;/)
    .map((line) => line.trim())
    .filter(Boolean);

export function faqFieldsFromSource(source: string): FaqFields {
  try {
    const { data, body } = parseSource('faq', source);
    return {
      question: String(data.question ?? ''),
      topic: String(data.topic ?? ''),
      procedures: lines(data.procedures),
      keywords: lines(data.keywords),
      translationOf: data.translationOf ? String(data.translationOf) : '',
      body: body.replace(/\n$/, ''),
    };
  } catch {
    return { question: '', topic: '', procedures: '', keywords: '', translationOf: '', body: source };
  }
}

export function faqFieldsFromForm(values: FormValues): FaqFields {
  const get = (name: string) => values.get(name).replace(/\r\n?/g, '\n');
  return { question: get('question').trim(), topic: get('topic').trim(), procedures: get('procedures'), keywords: get('keywords'), translationOf: get('translationOf').trim(), body: get('body').trim() };
}

/** The text of an FAQ entry from its form (reviewed today: the date residents read under the answer). */
export function faqSourceFromFields(fields: FaqFields, reviewedOn: string): string {
  return composeSource(
    'faq',
    {
      question: fields.question,
      topic: fields.topic,
      procedures: list(fields.procedures),
      lastReviewed: reviewedOn,
      keywords: list(fields.keywords),
      translationOf: fields.translationOf || undefined,
    },
    fields.body,
  );
}

/** The text the form holds, whichever way the kind is edited. */
export function sourceFromForm(kind: HelpKind, values: FormValues, today: string): string {
  return editedByField(kind) ? faqSourceFromFields(faqFieldsFromForm(values), today) : values.get('source').replace(/\r\n?/g, '\n');
}

/** The form field a problem belongs to ("procedures.2" → "procedures"; the whole text → "source" or "body"). */
export function problemField(kind: HelpKind, problem: Problem): string {
  if (!editedByField(kind)) return 'source';
  const first = problem.field.split('.')[0] ?? '';
  if ((FAQ_FIELDS as readonly string[]).includes(first)) return first;
  return first === 'lastReviewed' || first === '' ? 'body' : 'body';
}
