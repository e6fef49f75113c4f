/**
 * The help editor's one form: preview, save a draft, submit for review, publish, withdraw,
 * restore a revision, add an image. What was typed is always sent back to the page (the form
 * re-renders it), so nothing is lost on a refusal, a preview or a conflict.
 */
import { defineAction } from 'astro:actions';
import { HELP_KINDS, HELP_SOURCE_MAX, type HelpKind } from '../../db/schema';
import { type FormValues, formValues, hasControlCharacters } from '../lib/request-form';
import { requireAgent } from '../lib/server/auth/guard';
import { can } from '../lib/server/auth/permissions';
import type { SignedInAgent } from '../lib/server/auth/session';
import { getDb } from '../lib/server/db';
import { problemField, sourceFromForm } from '../lib/server/help/editor-form';
import { storeImage } from '../lib/server/help/images';
import { findEntry, findRevision, publishRevision, restoreRevision, saveRevision, SLUG, type StepResult, submitForReview, withdrawEntry } from '../lib/server/help/workflow';
import type { Problem } from '../lib/server/help/validate';
import { loadWorkspaceSettings } from '../lib/server/workspace/settings';
import type { FormMessage } from './request';

export type HelpOutcome =
  | { ok: true; next?: string; preview?: boolean; inserted?: string }
  | { ok: false; errors: FormMessage[]; conflict?: { revisionId: number; source: string; author: string | null; at: string } };

const editorPath = (entryId: number, query = '') => `/agent/aide/${entryId}/${query}`;
const number = (value: string) => (/^\d{1,9}$/.test(value) ? Number(value) : undefined);
const fail = (...errors: FormMessage[]): HelpOutcome => ({ ok: false, errors });
const today = () => new Date().toISOString().slice(0, 10);

/** Whether this agent may publish: administrators, or every agent when the authority lets them. */
export async function mayPublish(agent: SignedInAgent): Promise<boolean> {
  if (can(agent, 'help:publish')) return true;
  return can(agent, 'help:write') && (await loadWorkspaceSettings(await getDb())).helpPublishers === 'agents';
}

const problemsToErrors = (kind: HelpKind, problems: Problem[]): FormMessage[] => problems.map((p) => ({ field: problemField(kind, p), message: p.key, params: p.params }));

function stepRefused(result: StepResult, kind: HelpKind): HelpOutcome | undefined {
  if (result.ok) return undefined;
  if ('problems' in result) return fail(...problemsToErrors(kind, result.problems));
  return fail({ message: result.reason === 'stale' ? 'editor.errors.stale' : 'editor.errors.state' });
}

/** Checks of the raw form fields before anything else: sizes and characters. */
function fieldProblems(values: FormValues): FormMessage[] {
  const errors: FormMessage[] = [];
  for (const name of ['question', 'topic', 'procedures', 'keywords', 'translationOf', 'body', 'source', 'note', 'slug', 'alt']) {
    const value = values.get(name);
    if (value.length > HELP_SOURCE_MAX) errors.push({ field: name, message: 'agent.errors.tooLong', params: { max: HELP_SOURCE_MAX, count: value.length } });
    else if (hasControlCharacters(value)) errors.push({ field: name, message: 'request.errors.controlCharacters' });
  }
  if (values.get('note').length > 500) errors.push({ field: 'note', message: 'agent.errors.tooLong', params: { max: 500, count: values.get('note').length } });
  return errors;
}

async function addImage(agent: SignedInAgent, form: FormData, values: FormValues): Promise<HelpOutcome> {
  const file = form.get('image');
  const alt = values.get('alt').trim();
  const decorative = values.get('decorative') === '1';
  const errors: FormMessage[] = [];
  if (!(file instanceof File) || file.size === 0) errors.push({ field: 'image', message: 'editor.errors.imageMissing' });
  if (!decorative && alt.length < 3) errors.push({ field: 'alt', message: 'editor.errors.altRequired' });
  if (alt.length > 300) errors.push({ field: 'alt', message: 'agent.errors.tooLong', params: { max: 300, count: alt.length } });
  if (errors.length > 0 || !(file instanceof File)) return fail(...errors);
  const stored = await storeImage(await getDb(), agent, new Uint8Array(await file.arrayBuffer()));
  if (!stored.ok) return fail({ field: 'image', message: `editor.errors.image.${stored.reason}` });
  const markdown = decorative ? `![](${stored.src} "decorative")` : `![${alt.replace(/[[\]]/g, '')}](${stored.src})`;
  return { ok: true, inserted: markdown };
}

export const helpActions = {
  helpEntry: defineAction({
    accept: 'form',
    handler: async (form: FormData, context): Promise<HelpOutcome> => {
      const agent = requireAgent(context, 'help:write');
      const values = formValues(form);
      const intent = values.get('intent');
      const db = await getDb();
      const entryId = number(values.get('entry'));
      const entry = entryId ? await findEntry(db, entryId) : undefined;
      if (entryId && !entry) return fail({ message: 'editor.errors.notFound' });
      const kind = entry?.kind ?? (HELP_KINDS as readonly string[]).find((k) => k === values.get('kind')) as HelpKind | undefined;
      const locale = entry?.locale ?? (values.get('locale') === 'en' ? 'en' : 'fr');
      if (!kind) return fail({ message: 'agent.errors.unknownValue' });
      const errors = fieldProblems(values);
      if (errors.length > 0) return fail(...errors);

      if (intent === 'image') return addImage(agent, form, values);
      if (intent === 'preview') return { ok: true, preview: true };

      if (intent === 'withdraw' || intent === 'publish') {
        if (!(await mayPublish(agent))) return fail({ message: 'editor.errors.mayNotPublish' });
      }
      if (intent === 'withdraw') {
        if (!entry) return fail({ message: 'editor.errors.notFound' });
        return stepRefused(await withdrawEntry(db, agent, entry.id), kind) ?? { ok: true, next: editorPath(entry.id, '?retire=1') };
      }
      if (intent === 'restore') {
        const revisionId = number(values.get('revision'));
        if (!entry || !revisionId) return fail({ message: 'editor.errors.notFound' });
        const restored = await restoreRevision(db, agent, entry.id, revisionId).catch(() => undefined);
        if (!restored) return fail({ message: 'editor.errors.notFound' });
        if (!restored.ok) return 'problems' in restored ? fail(...problemsToErrors(kind, restored.problems)) : fail({ message: 'editor.errors.stale' });
        return { ok: true, next: editorPath(entry.id, '?restaure=1') };
      }
      if (intent !== 'save' && intent !== 'submit' && intent !== 'publish') return fail({ message: 'agent.errors.unknownValue' });

      // Save what the form holds (a new revision when it changed), then take the step asked for.
      const slug = entry?.slug ?? values.get('slug').trim();
      if (!entry && !SLUG.test(slug)) return fail({ field: 'slug', message: 'editor.problem.slug' });
      const source = sourceFromForm(kind, values, today());
      const base = number(values.get('base')) ?? null;
      let revisionId = entry?.headRevisionId ?? null;
      let savedEntryId = entry?.id;
      const headSource = entry?.headRevisionId ? (await findRevision(db, entry.headRevisionId))?.source : undefined;
      const unchanged = entry && base === entry.headRevisionId && headSource !== undefined && stripReviewed(headSource) === stripReviewed(source);
      if (!unchanged) {
        const saved = await saveRevision(db, agent, { entryId: entry?.id, kind, locale, slug, source, baseRevisionId: base, note: values.get('note') });
        if (!saved.ok) {
          if ('problems' in saved) return fail(...problemsToErrors(kind, saved.problems));
          if ('slugTaken' in saved) return fail({ field: 'slug', message: 'editor.errors.slugTaken' });
          const theirs = saved.conflict.theirs;
          return { ok: false, errors: [{ message: 'editor.errors.conflict' }], conflict: { revisionId: theirs.id, source: theirs.source, author: theirs.authorName, at: theirs.createdAt.toISOString() } };
        }
        revisionId = saved.revisionId;
        savedEntryId = saved.entryId;
      }
      if (intent === 'save') return { ok: true, next: editorPath(savedEntryId!, '?enregistre=1') };
      if (intent === 'submit') {
        const current = await findEntry(db, savedEntryId!);
        if (current?.state === 'review') return { ok: true, next: editorPath(savedEntryId!, '?soumis=1') };
        return stepRefused(await submitForReview(db, agent, savedEntryId!, revisionId!), kind) ?? { ok: true, next: editorPath(savedEntryId!, '?soumis=1') };
      }
      return stepRefused(await publishRevision(db, agent, savedEntryId!, revisionId!), kind) ?? { ok: true, next: editorPath(savedEntryId!, '?publie=1') };
    },
  }),
};

/** The review date is set on each save: two texts that differ only by it are the same. */
const stripReviewed = (source: string) => source.replace(/^lastReviewed: .*$/m, '');
