/**
 * The workspace's one-page forms for what arrives by phone, at the counter, by letter, by mail
 * or through a partner: a request filed for a resident, and a question answered on the spot.
 * The resident's form rules are reused (src/lib/request-form.ts); what differs is that an agent
 * may file a request for someone with no email and no phone (the printed slip is their way
 * back), and that the callback slots default to "any time" when none were said.
 */
import { AGENT_INTAKE_CHANNELS, type AgentIntakeChannel, ANSWER_CHANNELS, QUICK_ANSWER_LIMITS, REQUEST_CATEGORIES, REQUEST_LIMITS, REQUESTER_KINDS, type RequestCategory } from '../../db/values';
import {
  CALLBACK_SLOTS,
  type CallbackSlot,
  type DraftData,
  type FieldError,
  type FormValues,
  hasControlCharacters,
  isValidEmail,
  isValidPhone,
  NEEDS,
  normalizePhone,
  singleLineProblem,
  validateStep,
} from './request-form';

export type IntakeData = Required<Pick<DraftData, 'procedure' | 'category' | 'description' | 'who' | 'name' | 'channel'>> & DraftData;
export type IntakeResult = { ok: true; intake: AgentIntakeChannel; locale: 'fr' | 'en'; take: boolean; data: IntakeData } | { ok: false; errors: FieldError[] };

const pickOne = <T extends string>(values: FormValues, errors: FieldError[], name: string, allowed: readonly T[], required: string): T | undefined => {
  const value = values.get(name);
  if ((allowed as readonly string[]).includes(value)) return value as T;
  errors.push({ field: name, message: value ? 'request.errors.unknownValue' : required });
  return undefined;
};

const pickSome = <T extends string>(values: FormValues, errors: FieldError[], name: string, allowed: readonly T[]): T[] => {
  const chosen = [...new Set(values.all(name))];
  if (chosen.some((v) => !(allowed as readonly string[]).includes(v))) {
    errors.push({ field: name, message: 'request.errors.unknownValue' });
    return [];
  }
  return allowed.filter((v) => chosen.includes(v));
};

/** An optional one-line (or, for `multiline`, several-line) text field. */
function optionalText(values: FormValues, errors: FieldError[], name: string, max: number, multiline = false): string | undefined {
  const raw = values.get(name);
  const value = raw.replace(/\r\n?/g, '\n').trim();
  if (!value) return undefined;
  if (value.length > max) errors.push({ field: name, message: 'request.errors.tooLong' });
  else if (hasControlCharacters(raw)) errors.push({ field: name, message: 'request.errors.controlCharacters' });
  else {
    const oneLine = multiline ? undefined : singleLineProblem(value);
    if (oneLine) errors.push({ field: name, message: oneLine });
    else return value;
  }
  return undefined;
}

/** A request an agent files for a resident: every answer of the resident's form on one page. */
export function validateIntake(values: FormValues, places: readonly string[], categories: readonly RequestCategory[] = REQUEST_CATEGORIES, offeredSlots: readonly CallbackSlot[] = CALLBACK_SLOTS): IntakeResult {
  const errors: FieldError[] = [];
  const intake = pickOne(values, errors, 'intake', AGENT_INTAKE_CHANNELS, 'agent.errors.intakeRequired');
  const locale = values.get('locale') === 'en' ? 'en' : 'fr';
  const merge = (result: ReturnType<typeof validateStep>) => {
    if (result.ok) return result.data;
    errors.push(...result.errors);
    return {};
  };
  const procedure = merge(validateStep('procedure', values, {}, places, categories));
  const problem = merge(validateStep('problem', values, {}, places, categories));
  const who = pickOne(values, errors, 'who', REQUESTER_KINDS, 'request.errors.whoRequired');
  const about = merge(validateStep('about', values, { who: who ?? 'resident' }, places, categories));

  const channel = pickOne(values, errors, 'channel', ANSWER_CHANNELS, 'request.errors.channelRequired');
  const email = optionalText(values, errors, 'email', REQUEST_LIMITS.email);
  if (email && !isValidEmail(email)) errors.push({ field: 'email', message: 'request.errors.emailInvalid' });
  if (channel === 'email' && !email && !errors.some((e) => e.field === 'email')) errors.push({ field: 'email', message: 'request.errors.emailRequired' });
  const phone = optionalText(values, errors, 'phone', REQUEST_LIMITS.phone);
  if (phone && !isValidPhone(phone)) errors.push({ field: 'phone', message: 'request.errors.phoneInvalid' });
  if (channel === 'phone' && !phone && !errors.some((e) => e.field === 'phone')) errors.push({ field: 'phone', message: 'request.errors.phoneRequired' });
  const slots = pickSome(values, errors, 'callbackSlots', offeredSlots);
  const helpPlace = channel === 'in-person' ? pickOne(values, errors, 'helpPlace', places, 'request.errors.placeRequired') : undefined;
  const needs = pickSome(values, errors, 'needs', NEEDS);
  const needsLanguage = optionalText(values, errors, 'needsLanguage', REQUEST_LIMITS.language);
  if (errors.length > 0 || !intake || !who || !channel) return { ok: false, errors };
  return {
    ok: true,
    intake,
    locale,
    take: values.get('take') === '1',
    data: {
      ...procedure,
      ...problem,
      ...about,
      who,
      channel,
      email: email?.toLowerCase(),
      phone: phone ? normalizePhone(phone) : undefined,
      // Said on the phone as "whenever": the agent need not tick a box for it.
      callbackSlots: channel === 'phone' ? (slots.length > 0 ? slots : ['any-time']) : [],
      helpPlace,
      needs,
      needsLanguage: needs.includes('other-language') || needs.includes('sign-language') ? needsLanguage : undefined,
    } as IntakeData,
  };
}

export interface QuickAnswerInput {
  channel: AgentIntakeChannel;
  category: RequestCategory;
  procedure?: string;
  note?: string;
}

/** A question answered on the spot: the channel and the kind of problem; the procedure and a note if the agent wants. */
export function validateQuickAnswer(values: FormValues): { ok: true; data: QuickAnswerInput } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const channel = pickOne(values, errors, 'qa-channel', AGENT_INTAKE_CHANNELS, 'agent.errors.intakeRequired');
  const category = pickOne(values, errors, 'qa-category', REQUEST_CATEGORIES, 'request.errors.categoryRequired');
  const procedure = optionalText(values, errors, 'qa-procedure', REQUEST_LIMITS.procedure);
  const note = optionalText(values, errors, 'qa-note', QUICK_ANSWER_LIMITS.note, true);
  if (errors.length > 0 || !channel || !category) return { ok: false, errors };
  return { ok: true, data: { channel, category, procedure, note } };
}
