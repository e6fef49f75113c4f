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
  audience: string;
  procedures: string;
  keywords: string;
  translationOf: string;
  body: string;
}

export const FAQ_FIELDS = ['question', 'topic', 'audience', 'procedures', 'keywords', 'translationOf', 'body'] as const;

/** Whether the kind is edited field by field (the others: as their whole text). */
export const editedByField = (kind: HelpKind) => kind === 'faq' || kind === 'tutorial';

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
      audience: String(data.audience ?? 'residents'),
      procedures: lines(data.procedures),
      keywords: lines(data.keywords),
      translationOf: data.translationOf ? String(data.translationOf) : '',
      body: body.replace(/\n$/, ''),
    };
  } catch {
    return { question: '', topic: '', audience: 'residents', procedures: '', keywords: '', translationOf: '', body: source };
  }
}

export function faqFieldsFromForm(values: FormValues): FaqFields {
  const get = (name: string) => values.get(name).replace(/\r\n?/g, '\n');
  return { question: get('question').trim(), topic: get('topic').trim(), audience: get('audience').trim() || 'residents', procedures: get('procedures'), keywords: get('keywords'), translationOf: get('translationOf').trim(), body: get('body').trim() };
}

/** The text of an FAQ entry from its form (reviewed today: the date residents read under the answer). */
export function faqSourceFromFields(fields: FaqFields, reviewedOn: string): string {
  return composeSource(
    'faq',
    {
      question: fields.question,
      topic: fields.topic,
      // Residents' entries keep their text as it was (no audience line).
      audience: fields.audience === 'residents' ? undefined : fields.audience,
      procedures: list(fields.procedures),
      lastReviewed: reviewedOn,
      keywords: list(fields.keywords),
      translationOf: fields.translationOf || undefined,
    },
    fields.body,
  );
}

/** The text the form holds, whichever way the kind is edited (a tutorial's fields are read by the caller, its pictures stored first). */
export function sourceFromForm(kind: HelpKind, values: FormValues, today: string, tutorial?: TutorialFields): string {
  if (kind === 'faq') return faqSourceFromFields(faqFieldsFromForm(values), today);
  if (kind === 'tutorial') return tutorialSourceFromFields(tutorial ?? tutorialFieldsFromForm(values), today);
  return values.get('source').replace(/\r\n?/g, '\n');
}

/**
 * The form field a problem belongs to: "procedures.2" → "procedures", "steps.2.image.alt" →
 * "step-2-alt", "easyRead.steps.0.image.src" → "easy-0-file"; the whole text → "source".
 */
export function problemField(kind: HelpKind, problem: Problem): string {
  if (!editedByField(kind)) return 'source';
  const path = problem.field.split('.');
  const first = path[0] ?? '';
  if (kind === 'tutorial') {
    const steps = first === 'steps' ? { prefix: 'step', rest: path.slice(1) } : first === 'easyRead' && path[1] === 'steps' ? { prefix: 'easy', rest: path.slice(2) } : undefined;
    if (steps) {
      const [index, part, detail] = steps.rest;
      if (index === undefined || !/^\d+$/.test(index)) return steps.prefix === 'step' ? 'step-add' : 'easy-add';
      if (part === 'image') return `${steps.prefix}-${index}-${detail === 'src' ? 'file' : 'alt'}`;
      return `${steps.prefix}-${index}-${part === 'title' ? 'title' : 'text'}`;
    }
    if (first === 'easyRead') return 'easyIntro';
    if ((TUTORIAL_FIELDS as readonly string[]).includes(first)) return first;
    return 'body';
  }
  if ((FAQ_FIELDS as readonly string[]).includes(first)) return first;
  return 'body';
}

/* Tutorials: the fields, ordered steps (title, text, an optional picture with its text
 * alternative) and the easy-to-read version (an introduction, then steps that each have a
 * picture). Steps are repeated fields; adding, removing or moving one posts the form and
 * comes back with everything typed. */

export interface StepFields {
  title: string;
  text: string;
  /** The picture's address (`/medias/…` once uploaded, or a file of public/). */
  src: string;
  alt: string;
}

export interface TutorialFields {
  title: string;
  summary: string;
  topic: string;
  audience: string;
  durationMinutes: string;
  keywords: string;
  translationOf: string;
  body: string;
  steps: StepFields[];
  easyIntro: string;
  easySteps: StepFields[];
}

export const MAX_STEPS = 30;
export const TUTORIAL_FIELDS = ['title', 'summary', 'topic', 'audience', 'durationMinutes', 'keywords', 'translationOf', 'body', 'easyIntro'] as const;

const emptyStep = (): StepFields => ({ title: '', text: '', src: '', alt: '' });

export function emptyTutorial(): TutorialFields {
  return { title: '', summary: '', topic: '', audience: 'residents', durationMinutes: '5', keywords: '', translationOf: '', body: '', steps: [emptyStep(), emptyStep()], easyIntro: '', easySteps: [] };
}

const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));

export function tutorialFieldsFromSource(source: string): TutorialFields {
  try {
    const { data, body } = parseSource('tutorial', source);
    const steps = (Array.isArray(data.steps) ? data.steps : []).map((s) => {
      const step = record(s);
      const image = record(step.image);
      return { title: text(step.title), text: text(step.text), src: text(image.src), alt: text(image.alt) };
    });
    const easy = record(data.easyRead);
    const easySteps = (Array.isArray(easy.steps) ? easy.steps : []).map((s) => {
      const step = record(s);
      const image = record(step.image);
      return { title: '', text: text(step.text), src: text(image.src), alt: text(image.alt) };
    });
    return {
      title: text(data.title),
      summary: text(data.summary),
      topic: text(data.topic),
      audience: text(data.audience) || 'residents',
      durationMinutes: text(data.durationMinutes),
      keywords: lines(data.keywords),
      translationOf: text(data.translationOf),
      body: body.replace(/^\n+/, '').replace(/\n$/, ''),
      steps,
      easyIntro: text(easy.intro),
      easySteps,
    };
  } catch {
    return { ...emptyTutorial(), body: source };
  }
}

function stepsFromForm(values: FormValues, prefix: 'step' | 'easy'): StepFields[] {
  const count = Math.min(MAX_STEPS, Math.max(0, Number(values.get(`${prefix}-count`)) || 0));
  const get = (name: string) => values.get(name).replace(/\r\n?/g, '\n');
  return Array.from({ length: count }, (_, i) => ({
    title: get(`${prefix}-${i}-title`).trim(),
    text: get(`${prefix}-${i}-text`).trim(),
    src: get(`${prefix}-${i}-src`).trim(),
    alt: get(`${prefix}-${i}-alt`).trim(),
  }));
}

export function tutorialFieldsFromForm(values: FormValues): TutorialFields {
  const get = (name: string) => values.get(name).replace(/\r\n?/g, '\n');
  return {
    title: get('title').trim(),
    summary: get('summary').trim(),
    topic: get('topic').trim(),
    audience: get('audience').trim(),
    durationMinutes: get('durationMinutes').trim(),
    keywords: get('keywords'),
    translationOf: get('translationOf').trim(),
    body: get('body').trim(),
    steps: stepsFromForm(values, 'step'),
    easyIntro: get('easyIntro').trim(),
    easySteps: stepsFromForm(values, 'easy'),
  };
}

/** A step operation asked for by a button of the form: `step-add`, `step-remove:2`, `easy-up:1`… */
export function applyStepOperation(fields: TutorialFields, intent: string): TutorialFields | undefined {
  const match = /^(step|easy)-(add|remove|up|down)(?::(\d{1,2}))?$/.exec(intent);
  if (!match) return undefined;
  const [, group, operation, at] = match as unknown as [string, 'step' | 'easy', string, string | undefined];
  const key = group === 'step' ? 'steps' : 'easySteps';
  const list = [...fields[key]];
  const index = Number(at ?? -1);
  if (operation === 'add' && list.length < MAX_STEPS) list.push(emptyStep());
  else if (operation === 'remove' && index >= 0 && index < list.length) list.splice(index, 1);
  else if (operation === 'up' && index > 0 && index < list.length) [list[index - 1], list[index]] = [list[index]!, list[index - 1]!];
  else if (operation === 'down' && index >= 0 && index < list.length - 1) [list[index + 1], list[index]] = [list[index]!, list[index + 1]!];
  return { ...fields, [key]: list };
}

const image = (step: StepFields) => (step.src || step.alt ? { src: step.src, alt: step.alt } : undefined);

export function tutorialSourceFromFields(fields: TutorialFields, reviewedOn: string): string {
  const duration = Number(fields.durationMinutes);
  const easy = fields.easyIntro || fields.easySteps.length > 0;
  return composeSource(
    'tutorial',
    {
      title: fields.title,
      summary: fields.summary,
      topic: fields.topic,
      audience: fields.audience,
      durationMinutes: /^\d{1,4}$/.test(fields.durationMinutes) ? duration : fields.durationMinutes,
      lastReviewed: reviewedOn,
      keywords: list(fields.keywords),
      steps: fields.steps.map((step) => ({ title: step.title, text: step.text, ...(image(step) ? { image: image(step) } : {}) })),
      easyRead: easy ? { intro: fields.easyIntro, steps: fields.easySteps.map((step) => ({ text: step.text, image: { src: step.src, alt: step.alt } })) } : undefined,
      translationOf: fields.translationOf || undefined,
    },
    fields.body,
  );
}
