import type { Db } from '../../src/lib/server/db';
import type { DraftData } from '../../src/lib/request-form';
import type { NewRequest, RequestSettings } from '../../src/lib/server/requests';
import { createDraft, saveDraftStep } from '../../src/lib/server/requests/drafts';

export const settings: RequestSettings = {
  origin: 'https://aide.example.org',
  authority: { name: 'CC du Val de Brenne', phone: '03 80 00 12 34' },
  answerWorkingDays: 2,
};

export const resident: NewRequest = {
  locale: 'fr',
  procedure: 'Payer la cantine',
  category: 'payment',
  description: 'Le paiement est refusé.',
  who: 'resident',
  name: 'Martine Lefèvre',
  channel: 'email',
  email: 'martine@example.org',
  needs: [],
};

/** A draft with every step answered, as the form leaves it before "send". */
export async function completeDraft(db: Db, data: Partial<DraftData> = {}) {
  const { token, draft } = await createDraft(db);
  const { locale: _locale, ...answers } = resident;
  await saveDraftStep(db, draft, 'answer', { ...answers, ...data });
  return { token, draftId: draft.id };
}

export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
export const png = (fileName: string) => ({ fileName, contentType: 'image/png' as const, size: PNG.byteLength, data: PNG });
