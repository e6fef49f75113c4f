/** Administration: the team, the workspace's settings, saved replies, erasing a person's data. */
import { validateWorkingHours } from '../../lib/server/workspace/calendar-form';
import { defineAction } from 'astro:actions';
import { AGENT_ROLES, REQUEST_CATEGORIES, REQUEST_LIMITS, REQUEST_PRIORITIES, type AgentRole, type RequestCategory, type RequestPriority } from '../../../db/schema';
import { authority } from '../../lib/server/catalog';
import { type FormValues, formValues, isValidEmail } from '../../lib/request-form';
import { erasePerson, parseContact } from '../../lib/server/privacy';
import { inviteAgent, updateAgent } from '../../lib/server/auth/agents';
import { requireAgent } from '../../lib/server/auth/guard';
import { getDb } from '../../lib/server/db';
import { kickMailWorker } from '../../lib/server/mail/sender';
import { deleteSavedReply, saveSavedReply } from '../../lib/server/workspace/saved-replies';
import { ALWAYS_OFFERED, CATEGORY_LABEL_MAX, CHAT_OFFER_AFTER_MAX, HELP_PUBLISHERS, type CategorySetting, changeWorkspaceSetting, DEFAULT_OBJECTIVES, OBJECTIVE_MAX, OBJECTIVES, type Target, TARGET_MAX_DAYS } from '../../lib/server/workspace/settings';
import type { FormMessage } from '../request';
import { RESULT_BLOCKS, RESULTS_COMMENT_MAX, type ResultsSettings } from '../../lib/server/evaluation/results-settings';
import { type AgentOutcome, fail, pick, id, text, mailSettings } from './shared';

function targetValue(values: FormValues, name: string, allowEmpty: boolean): { value: number | null } | { error: FormMessage } {
  const raw = values.get(name).trim();
  if (raw === '' && allowEmpty) return { value: null };
  if (!/^\d{1,2}$/.test(raw) || Number(raw) > TARGET_MAX_DAYS) return { error: { field: name, message: 'agent.errors.days', params: { max: TARGET_MAX_DAYS } } };
  return { value: Number(raw) };
}

export const administrationActions = {
  invite: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:agents');
      const values = formValues(form);
      const errors: FormMessage[] = [];
      const name = text(values, 'name', 120, true, 'name');
      if ('error' in name) errors.push(name.error);
      const email = values.get('email').trim();
      if (!email) errors.push({ field: 'email', message: 'agent.errors.emailRequired' });
      else if (!isValidEmail(email)) errors.push({ field: 'email', message: 'agent.errors.emailInvalid' });
      const role = pick(AGENT_ROLES, values.get('role'));
      if (!role) errors.push({ field: 'role', message: 'agent.errors.roleRequired' });
      if (errors.length > 0 || 'error' in name) return fail(...errors);
      const locale = values.get('locale') === 'en' ? 'en' : 'fr';
      const result = await inviteAgent(await getDb(), agent, { email, name: name.value, role: role!, locale }, await mailSettings());
      if (!result.ok) return fail({ field: 'email', message: 'agent.errors.emailTaken' });
      kickMailWorker();
      return { ok: true, link: result.link };
    },
  }),

  changeAgent: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:agents');
      const values = formValues(form);
      const agentId = id(values.get('agent'));
      const role = values.get('role') ? pick(AGENT_ROLES, values.get('role')) : undefined;
      const active = values.get('active') === '1' ? true : values.get('active') === '0' ? false : undefined;
      if (!agentId || (values.get('role') && !role)) return fail({ message: 'agent.errors.unknownValue' });
      const result = await updateAgent(await getDb(), agent, agentId, { role: role as AgentRole | undefined, active });
      if (!result.ok) return fail({ message: `agent.errors.agentChange.${result.reason}` });
      return { ok: true, next: '/agent/admin/?modifie=1' };
    },
  }),

  targets: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const values = formValues(form);
      const errors: FormMessage[] = [];
      const read = (prefix: string, key: string, allowEmpty: boolean): Target => {
        const target = { firstResponse: null, resolution: null } as Target;
        for (const part of ['firstResponse', 'resolution'] as const) {
          const field = `${prefix}-${key}-${part}`;
          const result = targetValue(values, field, allowEmpty);
          if ('error' in result) errors.push(result.error);
          else target[part] = result.value;
        }
        return target;
      };
      const categories = Object.fromEntries(REQUEST_CATEGORIES.map((c) => [c, read('category', c, false)])) as Record<RequestCategory, Target>;
      const priorities = Object.fromEntries(REQUEST_PRIORITIES.map((p) => [p, read('priority', p, true)])) as Record<RequestPriority, Target>;
      if (errors.length > 0) return fail(...errors);
      await changeWorkspaceSetting(await getDb(), agent, 'targets', { categories, priorities });
      return { ok: true, next: '/agent/admin/reglages/?enregistre=delais' };
    },
  }),

  /** Opening periods per weekday, the holiday area, exceptional closures: due dates and callback slots follow them. */
  hours: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const result = validateWorkingHours(formValues(form));
      if (!result.ok) return fail(...result.errors);
      await changeWorkspaceSetting(await getDb(), agent, 'hours', result.hours);
      return { ok: true, next: '/agent/admin/reglages/?enregistre=horaires' };
    },
  }),

  /** Which kinds of problem residents are offered, and in what words. */

  categories: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const values = formValues(form);
      const errors: FormMessage[] = [];
      const categories = {} as Record<RequestCategory, CategorySetting>;
      for (const category of REQUEST_CATEGORIES) {
        const wording = (locale: 'fr' | 'en') => {
          const field = `category-${category}-${locale}`;
          const result = text(values, field, CATEGORY_LABEL_MAX, false, 'title');
          if ('error' in result) errors.push(result.error);
          return 'value' in result && result.value ? result.value : null;
        };
        categories[category] = { offered: ALWAYS_OFFERED.includes(category) || values.get(`category-${category}-offered`) === '1', fr: wording('fr'), en: wording('en') };
      }
      if (errors.length > 0) return fail(...errors);
      await changeWorkspaceSetting(await getDb(), agent, 'categories', categories);
      return { ok: true, next: '/agent/admin/reglages/?enregistre=categories#categories' };
    },
  }),

  savedReply: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:saved-replies');
      const values = formValues(form);
      const replyId = id(values.get('id'));
      const db = await getDb();
      if (values.get('intent') === 'delete') {
        if (!replyId || !(await deleteSavedReply(db, agent, replyId))) return fail({ message: 'agent.errors.unknownValue' });
        return { ok: true, next: '/agent/admin/reponses/?supprime=1' };
      }
      const title = text(values, 'title', 120, true, 'title');
      const body = text(values, 'body', REQUEST_LIMITS.message, true, 'body');
      const errors = [title, body].flatMap((r) => ('error' in r ? [r.error] : []));
      if (errors.length > 0 || 'error' in title || 'error' in body) return fail(...errors);
      const saved = await saveSavedReply(db, agent, { id: replyId, title: title.value, body: body.value, locale: values.get('locale') === 'en' ? 'en' : 'fr' });
      if (!saved) return fail({ message: 'agent.errors.unknownValue' });
      return { ok: true, next: '/agent/admin/reponses/?enregistre=1' };
    },
  }),

  /** Who publishes help content: administrators only (agents submit for review), or every agent. */

  helpPublishers: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const value = pick(HELP_PUBLISHERS, formValues(form).get('publishers'));
      if (!value) return fail({ field: 'publishers', message: 'agent.errors.unknownValue' });
      await changeWorkspaceSetting(await getDb(), agent, 'helpPublishers', value);
      return { ok: true, next: '/agent/admin/reglages/?enregistre=publication#publication' };
    },
  }),

  /** After how many minutes of waiting a chat offers a call back or a written answer. */
  chatSettings: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const raw = formValues(form).get('offerAfter').trim();
      const minutes = /^\d{1,2}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(minutes >= 1 && minutes <= CHAT_OFFER_AFTER_MAX)) return fail({ field: 'offerAfter', message: 'agent.settings.chatOfferAfterError', params: { max: CHAT_OFFER_AFTER_MAX } });
      await changeWorkspaceSetting(await getDb(), agent, 'chat', { offerAfterMinutes: minutes });
      return { ok: true, next: '/agent/admin/reglages/?enregistre=discussion#discussion' };
    },
  }),

  /** What the public results page shows, and the authority's comment in each language. */
  results: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const values = formValues(form);
      const errors: FormMessage[] = [];
      const comment = (locale: 'fr' | 'en') => {
        const result = text(values, `results-comment-${locale}`, RESULTS_COMMENT_MAX, false, 'body');
        if ('error' in result) errors.push(result.error);
        return 'value' in result && result.value ? result.value : null;
      };
      const ticked = values.all('results-show');
      if (ticked.some((b) => !(RESULT_BLOCKS as readonly string[]).includes(b))) errors.push({ field: 'results-show', message: 'agent.errors.unknownValue' });
      const show = Object.fromEntries(RESULT_BLOCKS.map((b) => [b, ticked.includes(b)])) as ResultsSettings['show'];
      const results: ResultsSettings = { show, comment: { fr: comment('fr'), en: comment('en') } };
      if (errors.length > 0) return fail(...errors);
      await changeWorkspaceSetting(await getDb(), agent, 'results', results);
      return { ok: true, next: '/agent/admin/reglages/?enregistre=resultats#resultats' };
    },
  }),

  /** The authority's objectives, shown in the reports against what was achieved; an empty field: no objective. */

  objectives: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:settings');
      const values = formValues(form);
      const errors: FormMessage[] = [];
      const objectives = { ...DEFAULT_OBJECTIVES };
      for (const id of OBJECTIVES) {
        const raw = values.get(`objective-${id}`).replace(',', '.').replace(/\s*%$/, '').trim();
        if (raw === '') {
          objectives[id] = null;
          continue;
        }
        const value = Number(raw);
        if (!/^\d{1,3}(\.\d)?$/.test(raw) || value <= 0 || value > OBJECTIVE_MAX[id]) errors.push({ field: `objective-${id}`, message: id === 'clarity' ? 'agent.errors.objectiveScore' : 'agent.errors.objectiveShare' });
        else objectives[id] = value;
      }
      if (errors.length > 0) return fail(...errors);
      await changeWorkspaceSetting(await getDb(), agent, 'objectives', objectives);
      return { ok: true, next: '/agent/admin/reglages/?enregistre=objectifs#objectifs' };
    },
  }),

  /** Evaluation surveys: create (empty or from a template), edit while a draft, publish, close, reopen, delete a draft. */

  erasePerson: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<AgentOutcome> => {
      const agent = requireAgent(context, 'admin:privacy');
      const values = formValues(form);
      const contact = parseContact(values.get('contact'));
      if (!contact) return fail({ field: 'contact', message: 'agent.privacy.errors.contact' });
      if (values.get('confirm') !== '1') return fail({ field: 'confirm', message: 'agent.privacy.errors.confirm' });
      const erased = await erasePerson(await getDb(), agent, contact);
      return { ok: true, next: `/agent/admin/donnees/?efface=${erased}` };
    },
  }),
};
