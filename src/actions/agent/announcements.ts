/** Announcements to residents: administrators write, change and remove them. */
import { defineAction } from 'astro:actions';
import { formValues } from '../../lib/request-form';
import { deleteAnnouncement, saveAnnouncement, validateAnnouncement } from '../../lib/server/announcements';
import { requireAgent } from '../../lib/server/auth/guard';
import { getDb } from '../../lib/server/db';
import { type AgentOutcome, fail, id } from './shared';

const PAGE = '/agent/annonces/';

export const announcementActions = {
  announcement: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const values = formValues(form);
      const editing = values.get('id') ? id(values.get('id')) : undefined;
      if (values.get('id') && editing === undefined) return fail({ message: 'agent.announcements.errors.notFound' });
      const result = validateAnnouncement(values);
      if (!result.ok) return fail(...result.errors);
      const saved = await saveAnnouncement(await getDb(), agent, result.input, editing);
      if (saved === false) return fail({ message: 'agent.announcements.errors.notFound' });
      return { ok: true, next: `${PAGE}?enregistre=${saved}#annonce-${saved}` };
    },
  }),

  deleteAnnouncement: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const target = id(formValues(form).get('id'));
      if (target === undefined || !(await deleteAnnouncement(await getDb(), agent, target))) return fail({ message: 'agent.announcements.errors.notFound' });
      return { ok: true, next: `${PAGE}?supprime=1` };
    },
  }),
};
