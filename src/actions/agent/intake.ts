/** What arrives by phone, at the counter, by letter, by mail or through a partner. */
import { defineAction } from 'astro:actions';
import { REQUEST_LIMITS } from '../../../db/schema';
import { validateIntake, validateQuickAnswer } from '../../lib/intake-form';
import { formValues } from '../../lib/request-form';
import { requireAgent } from '../../lib/server/auth/guard';
import { places } from '../../lib/server/catalog';
import { getDb } from '../../lib/server/db';
import { kickMailWorker } from '../../lib/server/mail/sender';
import { checkUploads } from '../../lib/server/requests/files';
import { requestSettings } from '../../lib/server/requests/settings';
import { fileRequest, recordQuickAnswer } from '../../lib/server/workspace/intake';
import { loadWorkspaceSettings } from '../../lib/server/workspace/settings';
import { offeredCallbackSlots } from '../../lib/server/requests/due';
import { type AgentOutcome, fail, requestPage } from './shared';

export const intakeActions = {
  /**
   * A request filed for a resident from the one-page form: checked as the resident's form is,
   * created in one transaction with its files, then the request's page, which offers the slip.
   */
  file: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'request:file');
      const values = formValues(form);
      const db = await getDb();
      const result = validateIntake(values, (await places()).map((p) => p.id), undefined, offeredCallbackSlots((await loadWorkspaceSettings(db)).hours));
      const files = await checkUploads(form.getAll('files'), REQUEST_LIMITS.files);
      const errors = [...(result.ok ? [] : result.errors), ...(files.ok ? [] : [{ field: 'files', message: files.message, params: files.params }])];
      if (!result.ok || !files.ok) return fail(...errors);
      const filed = await fileRequest(db, agent, result, await requestSettings(), { files: files.files });
      kickMailWorker();
      return { ok: true, next: requestPage(filed.reference, `?${new URLSearchParams({ depose: result.data.email ? 'mail' : 'fiche' })}`) };
    },
  }),

  /** A question answered on the spot: counted per channel in the reports, nothing else kept. */
  quickAnswer: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'request:file');
      const result = validateQuickAnswer(formValues(form));
      if (!result.ok) return fail(...result.errors);
      await recordQuickAnswer(await getDb(), agent, result.data);
      return { ok: true, next: `/agent/accueil/?${new URLSearchParams({ repondu: '1', canal: result.data.channel, probleme: result.data.category })}` };
    },
  }),
};
