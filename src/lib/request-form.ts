/**
 * The steps of the new-request form and the rules for each answer. Shared by the actions
 * (which validate and save) and the pages (which show the answers back), with no database
 * access, so that the rules are unit-tested on their own. Error values are i18n keys.
 */
import { z } from 'astro/zod';
import {
  ANSWER_CHANNELS,
  type AnswerChannel,
  REQUEST_CATEGORIES,
  REQUEST_LIMITS,
  type RequestCategory,
  REQUESTER_KINDS,
  type RequesterKind,
} from '../../db/values';
import { type Locale, routes } from '../i18n/routes';

export const STEPS = ['procedure', 'problem', 'attachments', 'who', 'about', 'answer', 'check'] as const;
export type Step = (typeof STEPS)[number];

/** Each step's address under the form's root, per locale. */
export const STEP_SLUGS: Record<Step | 'confirmation', Record<Locale, string>> = {
  procedure: { fr: 'demarche', en: 'procedure' },
  problem: { fr: 'probleme', en: 'problem' },
  attachments: { fr: 'pieces-jointes', en: 'attachments' },
  who: { fr: 'qui', en: 'who' },
  about: { fr: 'identite', en: 'about-you' },
  answer: { fr: 'reponse', en: 'answer' },
  check: { fr: 'verification', en: 'check' },
  confirmation: { fr: 'confirmation', en: 'confirmation' },
};

export const CALLBACK_SLOTS = ['weekday-morning', 'weekday-afternoon', 'saturday-morning', 'any-time'] as const;
export const NEEDS = ['large-print', 'plain-language', 'phone', 'sign-language', 'captions', 'other-language'] as const;
export type CallbackSlot = (typeof CALLBACK_SLOTS)[number];
export type Need = (typeof NEEDS)[number];

/** What the resident answered so far; every field is checked again when the request is sent. */
export interface DraftData {
  procedure?: string;
  category?: RequestCategory;
  stage?: string;
  description?: string;
  who?: RequesterKind;
  name?: string;
  helperName?: string;
  helperOrganisation?: string;
  personAgreed?: boolean;
  staffService?: string;
  channel?: AnswerChannel;
  email?: string;
  phone?: string;
  callbackSlots?: CallbackSlot[];
  helpPlace?: string;
  needs?: Need[];
  needsLanguage?: string;
  /** Steps answered, so that "check your answers" knows what is missing. */
  done?: Step[];
}

export interface FieldError {
  /** The form field the message belongs to (its input's name). */
  field: string;
  /** i18n key. */
  message: string;
}

export type StepResult = { ok: true; data: Partial<DraftData> } | { ok: false; errors: FieldError[] };

/** Reads a form into plain values: one string per field, or every value of a repeated field. */
export type FormValues = { get(name: string): string; all(name: string): string[] };

export function formValues(form: FormData): FormValues {
  return {
    get: (name) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : '';
    },
    all: (name) => form.getAll(name).filter((v): v is string => typeof v === 'string'),
  };
}

/** Spaces, dots and dashes people type in phone numbers are dropped; a leading + is kept. */
export function normalizePhone(input: string): string {
  return input.trim().replace(/[\s.\-()/]/g, '');
}

/** A French number (10 digits starting with 0) or an international one (+ then 8 to 15 digits). */
export function isValidPhone(input: string): boolean {
  const phone = normalizePhone(input);
  return /^0[1-9]\d{8}$/.test(phone) || /^\+[1-9]\d{7,14}$/.test(phone);
}

const emailSchema = z.email();
export function isValidEmail(input: string): boolean {
  return input.length <= REQUEST_LIMITS.email && emailSchema.safeParse(input).success;
}

/**
 * Control characters (other than tab and line breaks) cannot be typed, only pasted from
 * elsewhere or forged; they would be invisible, or break a mail or a CSV line: refused. So is
 * the replacement character, which is what bytes that were not UTF-8 become once decoded.
 */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/;
export const hasControlCharacters = (value: string) => CONTROL_CHARACTERS.test(value);

/**
 * Invisible characters that change the direction of the text after them (embeddings,
 * overrides, isolates, marks): in a name or a file name they can show a false extension or
 * hide what follows. A one-line field needs none of them.
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Why a one-line field's value is refused (a line break, a direction control), if it is. */
export function singleLineProblem(value: string): 'request.errors.singleLine' | 'request.errors.directionControls' | undefined {
  if (/[\n\r\u2028\u2029\u0085]/.test(value)) return 'request.errors.singleLine';
  if (value.search(BIDI_CONTROLS) !== -1) return 'request.errors.directionControls';
  return undefined;
}

/** Fields written on several lines; every other text field holds one line. */
const MULTILINE_FIELDS = new Set(['description']);

/** Text fields: spaces trimmed, required or not, a length limit, no control characters; one line unless `multiline` (by default, the fields of MULTILINE_FIELDS). */
export function text(values: FormValues, errors: { push(error: FieldError): number }, name: string, max: number, required: string | false, multiline = MULTILINE_FIELDS.has(name)): string | undefined {
  const raw = values.get(name);
  const value = raw.trim().replace(/\r\n/g, '\n');
  if (!value) {
    if (required) errors.push({ field: name, message: required });
    return undefined;
  }
  if (value.length > max) {
    errors.push({ field: name, message: `request.errors.tooLong` });
    return undefined;
  }
  if (hasControlCharacters(raw)) {
    errors.push({ field: name, message: 'request.errors.controlCharacters' });
    return undefined;
  }
  const oneLine = multiline ? undefined : singleLineProblem(value);
  if (oneLine) {
    errors.push({ field: name, message: oneLine });
    return undefined;
  }
  return value;
}

function oneOf<T extends string>(values: FormValues, errors: FieldError[], name: string, allowed: readonly T[], message: string): T | undefined {
  const value = values.get(name);
  if ((allowed as readonly string[]).includes(value)) return value as T;
  errors.push({ field: name, message: value ? 'request.errors.unknownValue' : message });
  return undefined;
}

function someOf<T extends string>(values: FormValues, errors: FieldError[], name: string, allowed: readonly T[]): T[] {
  const chosen = [...new Set(values.all(name))];
  if (chosen.some((v) => !(allowed as readonly string[]).includes(v))) {
    errors.push({ field: name, message: 'request.errors.unknownValue' });
    return [];
  }
  return allowed.filter((v) => chosen.includes(v));
}

/**
 * Checks the answers of one step. `current` is what the draft already holds (the "about you"
 * step depends on who is asking); `places` are the help places, `categories` the kinds of
 * problem (those the authority offers) and `slots` the callback slots (those its hours allow)
 * one may choose.
 */
export function validateStep(
  step: Exclude<Step, 'attachments' | 'check'>,
  values: FormValues,
  current: DraftData,
  places: readonly string[],
  categories: readonly RequestCategory[] = REQUEST_CATEGORIES,
  slots: readonly CallbackSlot[] = CALLBACK_SLOTS,
): StepResult {
  const errors: FieldError[] = [];
  let data: Partial<DraftData> = {};
  switch (step) {
    case 'procedure':
      data = {
        procedure: text(values, errors, 'procedure', REQUEST_LIMITS.procedure, 'request.errors.procedureRequired'),
        category: oneOf(values, errors, 'category', categories, 'request.errors.categoryRequired'),
        stage: text(values, errors, 'stage', REQUEST_LIMITS.stage, false),
      };
      break;
    case 'problem':
      data = { description: text(values, errors, 'description', REQUEST_LIMITS.description, 'request.errors.descriptionRequired') };
      break;
    case 'who':
      data = { who: oneOf(values, errors, 'who', REQUESTER_KINDS, 'request.errors.whoRequired') };
      break;
    case 'about': {
      const who = current.who ?? 'resident';
      if (who === 'helper') {
        data = {
          helperName: text(values, errors, 'helperName', REQUEST_LIMITS.name, 'request.errors.helperNameRequired'),
          helperOrganisation: text(values, errors, 'helperOrganisation', REQUEST_LIMITS.organisation, false),
          name: text(values, errors, 'name', REQUEST_LIMITS.name, 'request.errors.personNameRequired'),
          personAgreed: values.get('personAgreed') === 'yes',
        };
        if (!data.personAgreed) errors.push({ field: 'personAgreed', message: 'request.errors.personAgreedRequired' });
      } else if (who === 'staff') {
        data = {
          name: text(values, errors, 'name', REQUEST_LIMITS.name, 'request.errors.nameRequired'),
          staffService: text(values, errors, 'staffService', REQUEST_LIMITS.organisation, 'request.errors.staffServiceRequired'),
        };
      } else {
        data = { name: text(values, errors, 'name', REQUEST_LIMITS.name, 'request.errors.nameRequired') };
      }
      break;
    }
    case 'answer': {
      const channel = oneOf(values, errors, 'channel', ANSWER_CHANNELS, 'request.errors.channelRequired');
      const email = text(values, errors, 'email', REQUEST_LIMITS.email, channel === 'email' ? 'request.errors.emailRequired' : false);
      if (email && !isValidEmail(email)) errors.push({ field: 'email', message: 'request.errors.emailInvalid' });
      const phoneInput = text(values, errors, 'phone', REQUEST_LIMITS.phone, channel === 'phone' ? 'request.errors.phoneRequired' : false);
      if (phoneInput && !isValidPhone(phoneInput)) errors.push({ field: 'phone', message: 'request.errors.phoneInvalid' });
      const callbackSlots = someOf(values, errors, 'callbackSlots', slots);
      if (channel === 'phone' && callbackSlots.length === 0 && !errors.some((e) => e.field === 'callbackSlots')) {
        errors.push({ field: 'callbackSlots', message: 'request.errors.slotsRequired' });
      }
      let helpPlace: string | undefined;
      if (channel === 'in-person') {
        helpPlace = oneOf(values, errors, 'helpPlace', places, 'request.errors.placeRequired');
        if (!email && !phoneInput && !errors.some((e) => e.field === 'email' || e.field === 'phone')) {
          errors.push({ field: 'phone', message: 'request.errors.appointmentContactRequired' });
        }
      }
      const needs = someOf(values, errors, 'needs', NEEDS);
      const needsLanguage = text(values, errors, 'needsLanguage', REQUEST_LIMITS.language, false);
      data = {
        channel,
        email: email?.toLowerCase(),
        phone: phoneInput ? normalizePhone(phoneInput) : undefined,
        callbackSlots: channel === 'phone' ? callbackSlots : [],
        helpPlace,
        needs,
        needsLanguage: needs.includes('other-language') || needs.includes('sign-language') ? needsLanguage : undefined,
      };
      break;
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, data };
}

/** The steps a draft still lacks, in order ("check your answers" sends people back to them). */
export function missingSteps(data: DraftData): Step[] {
  const missing: Step[] = [];
  if (!data.procedure || !data.category) missing.push('procedure');
  if (!data.description) missing.push('problem');
  if (!data.who) missing.push('who');
  const aboutDone =
    !!data.name &&
    (data.who !== 'helper' || (!!data.helperName && data.personAgreed === true)) &&
    (data.who !== 'staff' || !!data.staffService);
  if (!aboutDone) missing.push('about');
  const answerDone =
    !!data.channel &&
    (data.channel !== 'email' || !!data.email) &&
    (data.channel !== 'phone' || (!!data.phone && (data.callbackSlots?.length ?? 0) > 0)) &&
    (data.channel !== 'in-person' || (!!data.helpPlace && (!!data.email || !!data.phone)));
  if (!answerDone) missing.push('answer');
  return missing;
}

/** Formats a nine-digit reference in groups of three, as it is read over the phone. */
export function formatReference(reference: string): string {
  return reference.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1-$2-$3');
}

/** What people type for a reference (spaces, dashes, dots) back to its nine digits. */
export function parseReference(input: string): string | undefined {
  const digits = input.replace(/[\s.\-]/g, '');
  return /^\d{9}$/.test(digits) ? digits : undefined;
}

/** A phone number shown back in pairs of digits, the French way. */
export function formatPhone(phone: string): string {
  return /^0\d{9}$/.test(phone) ? phone.replace(/(\d{2})(?=\d)/g, '$1 ') : phone;
}

/** The step an address names, in the given language. */
export function stepFromSlug(locale: Locale, slug: string): Step | 'confirmation' | undefined {
  return (Object.keys(STEP_SLUGS) as (Step | 'confirmation')[]).find((step) => STEP_SLUGS[step][locale] === slug);
}

/**
 * The address of a step. `returnToCheck` marks a change made from "check your answers" (the
 * step then leads back there); `query` adds other parameters.
 */
export function stepPath(locale: Locale, step: Step | 'confirmation', returnToCheck = false, query: Record<string, string> = {}): string {
  const params = new URLSearchParams(returnToCheck && step !== 'check' && step !== 'confirmation' ? { retour: '1', ...query } : query);
  return `${routes.request[locale]}${STEP_SLUGS[step][locale]}/${params.size > 0 ? `?${params}` : ''}`;
}
