/** Internal help: training paths written by those who write help, read and ticked off by every agent. */
import { defineAction } from 'astro:actions';
import { formValues } from '../../lib/request-form';
import { requireAgent } from '../../lib/server/auth/guard';
import { staffHelp } from '../../lib/server/catalog';
import { getDb } from '../../lib/server/db';
import { itemKey } from '../../lib/server/help/published';
import { markStep, savePath, validatePath } from '../../lib/server/training';
import { type AgentOutcome, fail, id } from './shared';

const PAGE = '/agent/aide-interne/parcours/';

export const trainingActions = {
  trainingPath: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'help:write');
      const values = formValues(form);
      const editing = values.get('id') ? id(values.get('id')) : undefined;
      if (values.get('id') && editing === undefined) return fail({ message: 'agent.training.errors.notFound' });
      const keys = new Set((await staffHelp()).map((item) => itemKey(item.kind, item.locale, item.slug)));
      const result = validatePath(values, keys);
      if (!result.ok) return fail(...result.errors);
      const saved = await savePath(await getDb(), agent, result.input, editing);
      if (saved === false) return fail({ message: 'agent.training.errors.notFound' });
      return { ok: true, next: `${PAGE}${saved}/?enregistre=1` };
    },
  }),

  /** "Read" (or not) on a page of a path: back to the page, or to the path. */
  trainingStep: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'queue:read');
      const values = formValues(form);
      const pathId = id(values.get('path'));
      const key = values.get('entry');
      if (pathId === undefined || !(await markStep(await getDb(), agent.id, pathId, key, values.get('read') !== 'no'))) return fail({ message: 'agent.training.errors.notFound' });
      const back = values.get('back');
      return { ok: true, next: /^\/agent\/aide-interne\/(faq|tutoriel)\/[a-z0-9-]{1,150}\/$/.test(back) ? `${back}?parcours=${pathId}&lu=1` : `${PAGE}${pathId}/` };
    },
  }),
};
