import { describe, expect, it } from 'vitest';
import {
  type DraftData,
  formatPhone,
  formatReference,
  isValidPhone,
  missingSteps,
  parseReference,
  stepFromSlug,
  STEP_SLUGS,
  stepPath,
  validateStep,
} from '../../src/lib/request-form';

const form = (entries: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) for (const v of [value].flat()) data.append(name, v);
  return { get: (n: string) => String(data.get(n) ?? ''), all: (n: string) => data.getAll(n).map(String) };
};
const places = ['mairie-brenne', 'france-services-brenne'];
const fields = (result: ReturnType<typeof validateStep>) => (result.ok ? [] : result.errors.map((e) => `${e.field}:${e.message}`));

describe('the steps of a new request', () => {
  it('asks for the procedure and what happened, the stage being optional', () => {
    expect(fields(validateStep('procedure', form({}), {}, places))).toEqual(['procedure:request.errors.procedureRequired', 'category:request.errors.categoryRequired']);
    const ok = validateStep('procedure', form({ procedure: '  Payer la cantine ', category: 'payment' }), {}, places);
    expect(ok).toEqual({ ok: true, data: { procedure: 'Payer la cantine', category: 'payment', stage: undefined } });
  });

  it('keeps one-line fields on one line, without characters that turn the text around', () => {
    expect(fields(validateStep('procedure', form({ procedure: 'Payer\nla cantine', category: 'payment', stage: 'Paiement\u2028carte' }), {}, places))).toEqual([
      'procedure:request.errors.singleLine',
      'stage:request.errors.singleLine',
    ]);
    // A right-to-left override makes "facture\u202Egnp.exe" read as "factureexe.png".
    expect(fields(validateStep('about', form({ name: 'Jean\u202EnaeJ' }), { who: 'resident' }, places))).toEqual(['name:request.errors.directionControls']);
    // The description is written on several lines.
    expect(validateStep('problem', form({ description: 'Première ligne\r\nDeuxième ligne' }), {}, places)).toEqual({ ok: true, data: { description: 'Première ligne\nDeuxième ligne' } });
  });

  it('refuses a category that is not offered, and text beyond its limit', () => {
    expect(fields(validateStep('procedure', form({ procedure: 'x'.repeat(201), category: 'hacking' }), {}, places))).toEqual([
      'procedure:request.errors.tooLong',
      'category:request.errors.unknownValue',
    ]);
  });

  it('asks a helper for their name, the person’s name and the person’s agreement', () => {
    const helper: DraftData = { who: 'helper' };
    expect(fields(validateStep('about', form({}), helper, places))).toEqual([
      'helperName:request.errors.helperNameRequired',
      'name:request.errors.personNameRequired',
      'personAgreed:request.errors.personAgreedRequired',
    ]);
    const ok = validateStep('about', form({ helperName: 'Nadia', name: 'Odette', personAgreed: 'yes' }), helper, places);
    expect(ok.ok && ok.data).toMatchObject({ helperName: 'Nadia', name: 'Odette', personAgreed: true });
  });

  it('asks a staff member for their service', () => {
    expect(fields(validateStep('about', form({ name: 'Léa' }), { who: 'staff' }, places))).toEqual(['staffService:request.errors.staffServiceRequired']);
  });

  it('needs an email only when the answer goes by email', () => {
    expect(fields(validateStep('answer', form({ channel: 'email' }), {}, places))).toEqual(['email:request.errors.emailRequired']);
    expect(fields(validateStep('answer', form({ channel: 'email', email: 'jean@' }), {}, places))).toEqual(['email:request.errors.emailInvalid']);
    const callback = validateStep('answer', form({ channel: 'phone', phone: '06 12 34 56 78', callbackSlots: ['weekday-morning', 'any-time'] }), {}, places);
    expect(callback).toEqual({
      ok: true,
      data: { channel: 'phone', email: undefined, phone: '0612345678', callbackSlots: ['weekday-morning', 'any-time'], helpPlace: undefined, needs: [], needsLanguage: undefined },
    });
  });

  it('asks a resident who wants a call back for a valid number and a time slot', () => {
    expect(fields(validateStep('answer', form({ channel: 'phone' }), {}, places))).toEqual(['phone:request.errors.phoneRequired', 'callbackSlots:request.errors.slotsRequired']);
    expect(fields(validateStep('answer', form({ channel: 'phone', phone: '12 34', callbackSlots: 'any-time' }), {}, places))).toEqual(['phone:request.errors.phoneInvalid']);
  });

  it('needs a place and a way to fix the time for an appointment', () => {
    expect(fields(validateStep('answer', form({ channel: 'in-person' }), {}, places))).toEqual(['helpPlace:request.errors.placeRequired', 'phone:request.errors.appointmentContactRequired']);
    expect(fields(validateStep('answer', form({ channel: 'in-person', helpPlace: 'elsewhere', email: 'a@example.org' }), {}, places))).toEqual(['helpPlace:request.errors.unknownValue']);
  });

  it('keeps accessibility needs and the language asked for', () => {
    const result = validateStep('answer', form({ channel: 'email', email: 'A@Example.org', needs: ['other-language', 'large-print'], needsLanguage: 'arabe' }), {}, places);
    expect(result.ok && result.data).toMatchObject({ email: 'a@example.org', needs: ['large-print', 'other-language'], needsLanguage: 'arabe' });
    expect(fields(validateStep('answer', form({ channel: 'email', email: 'a@example.org', needs: 'telepathy' }), {}, places))).toEqual(['needs:request.errors.unknownValue']);
  });

  it('knows which steps a draft still lacks', () => {
    expect(missingSteps({})).toEqual(['procedure', 'problem', 'who', 'about', 'answer']);
    const complete: DraftData = { procedure: 'p', category: 'other', description: 'd', who: 'helper', name: 'n', helperName: 'h', personAgreed: true, channel: 'phone', phone: '0612345678', callbackSlots: ['any-time'] };
    expect(missingSteps(complete)).toEqual([]);
    expect(missingSteps({ ...complete, personAgreed: false })).toEqual(['about']);
    expect(missingSteps({ ...complete, callbackSlots: [] })).toEqual(['answer']);
  });
});

describe('references, phone numbers and step addresses', () => {
  it('reads a reference however it is typed, and writes it in groups of three', () => {
    expect(parseReference(' 123 456-789 ')).toBe('123456789');
    expect(parseReference('12345678')).toBeUndefined();
    expect(formatReference('012345678')).toBe('012-345-678');
  });

  it('accepts French and international numbers', () => {
    expect(isValidPhone('06.12.34.56.78')).toBe(true);
    expect(isValidPhone('+44 7700 900123')).toBe(true);
    expect(isValidPhone('0012')).toBe(false);
    expect(formatPhone('0612345678')).toBe('06 12 34 56 78');
  });

  it('has one address per step and language, and finds the step back from it', () => {
    for (const locale of ['fr', 'en'] as const) {
      const slugs = Object.values(STEP_SLUGS).map((s) => s[locale]);
      expect(new Set(slugs).size).toBe(slugs.length);
      for (const [step, slug] of Object.entries(STEP_SLUGS)) expect(stepFromSlug(locale, slug[locale])).toBe(step);
    }
    expect(stepFromSlug('fr', 'nowhere')).toBeUndefined();
  });
});

describe('step addresses', () => {
  it('carry the return to "check your answers" and other parameters', () => {
    expect(stepPath('fr', 'problem')).toBe('/demande/probleme/');
    expect(stepPath('en', 'answer', true)).toBe('/en/request/answer/?retour=1');
    expect(stepPath('fr', 'attachments', true, { ajout: '2' })).toBe('/demande/pieces-jointes/?retour=1&ajout=2');
    expect(stepPath('fr', 'check', true, { _action: 'request.submit' })).toBe('/demande/verification/?_action=request.submit');
  });
});
