/** An agent's own profile: the name residents see, a signature, how the queues read. */
import { defineAction } from 'astro:actions';
import { AGENT_PROFILE_LIMITS, AGENT_QUEUE_DENSITIES } from '../../../db/schema';
import { formValues } from '../../lib/request-form';
import { updateProfile } from '../../lib/server/auth/agents';
import { requireAgent } from '../../lib/server/auth/guard';
import { getDb } from '../../lib/server/db';
import type { FormMessage } from '../request';
import { type AgentOutcome, fail, pick, text } from './shared';

export const profileActions = {
  profile: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'queue:read');
      const values = formValues(form);
      const errors: FormMessage[] = [];
      const publicName = text(values, 'publicName', AGENT_PROFILE_LIMITS.publicName, false, 'name');
      if ('error' in publicName) errors.push(publicName.error);
      const signature = text(values, 'signature', AGENT_PROFILE_LIMITS.signature, false, 'signature');
      if ('error' in signature) errors.push(signature.error);
      const queueDensity = pick(AGENT_QUEUE_DENSITIES, values.get('queueDensity'));
      if (!queueDensity) errors.push({ field: 'queueDensity', message: 'agent.errors.unknownValue' });
      if (errors.length > 0 || 'error' in publicName || 'error' in signature || !queueDensity) return fail(...errors);
      await updateProfile(await getDb(), agent, { publicName: publicName.value || null, signature: signature.value || null, queueDensity });
      return { ok: true, next: '/agent/profil/?enregistre=1' };
    },
  }),
};
