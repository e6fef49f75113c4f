/** The mailbox whose messages become requests: an administrator connects it, and may read it at once. */
import { defineAction } from 'astro:actions';
import { formValues } from '../../lib/request-form';
import { requireAgent } from '../../lib/server/auth/guard';
import { getDb } from '../../lib/server/db';
import { checkMailbox, tryMailbox } from '../../lib/server/mail/intake';
import { loadMailIntake, saveMailIntake, validateMailIntake } from '../../lib/server/mail/intake-config';
import { kickMailWorker } from '../../lib/server/mail/sender';
import { requestSettings } from '../../lib/server/requests/settings';
import { type AgentOutcome, fail } from './shared';

const PAGE = '/agent/admin/courriel/';

export const mailboxActions = {
  /** Saved only once the server accepted the account and the folder exists (when reading is switched on). */
  mailbox: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const db = await getDb();
      const stored = await loadMailIntake(db);
      const result = validateMailIntake(formValues(form), Boolean(stored?.password));
      if (!result.ok) return fail(...result.errors);
      const config = { ...result.config, password: result.config.password ?? stored?.password ?? '' };
      if (config.enabled) {
        const tried = await tryMailbox(config);
        if (!tried.ok) return fail({ field: tried.field, message: `agent.mailbox.errors.${tried.field}Refused`, params: { error: tried.error } });
      }
      await saveMailIntake(db, agent, result.config);
      return { ok: true, next: `${PAGE}?enregistre=1` };
    },
  }),

  /** Reads the mailbox now rather than at the next minute, and says what came of it. */
  mailboxCheck: defineAction({
    accept: 'form',
    handler: async (_form: FormData, context): Promise<AgentOutcome> => {
      requireAgent(context, 'admin:settings');
      const result = await checkMailbox(await getDb(), await requestSettings());
      // Acknowledgements of the new requests leave at once.
      if (result.requests > 0) kickMailWorker();
      if (result.skipped) return { ok: true, next: `${PAGE}?releve=${result.skipped}` };
      if (result.error) return fail({ message: 'agent.mailbox.errors.checkFailed', params: { error: result.error } });
      return { ok: true, next: `${PAGE}?releve=ok&lus=${result.read}&demandes=${result.requests}&reponses=${result.replies}&ecartes=${result.ignored}` };
    },
  }),
};
