/**
 * The help editor's one form: preview, save a draft, submit for review, publish, withdraw,
 * restore a revision, add an image. What was typed is always sent back to the page (the form
 * re-renders it), so nothing is lost on a refusal, a preview or a conflict.
 */
import { defineAction } from 'astro:actions';
import { HELP_KINDS, HELP_SOURCE_MAX, type HelpKind } from '../../../db/schema';
import { type FormValues, formValues, hasControlCharacters } from '../../lib/request-form';
import { requireAgent } from '../../lib/server/auth/guard';
import { can } from '../../lib/server/auth/permissions';
import type { SignedInAgent } from '../../lib/server/auth/session';
import { getDb } from '../../lib/server/db';
import { applyStepOperation, problemField, sourceFromForm, type TutorialFields, tutorialFieldsFromForm } from '../../lib/server/help/editor-form';
import { storeImage } from '../../lib/server/help/images';
import { findEntry, findRevision, publishRevision, restoreRevision, saveRevision, SLUG, type StepResult, submitForReview, withdrawEntry } from '../../lib/server/help/workflow';
import type { Problem } from '../../lib/server/help/validate';
import { loadWorkspaceSettings } from '../../lib/server/workspace/settings';
import type { FormMessage } from '../request';

export type HelpOutcome =
  | { ok: true; next?: string; preview?: boolean; inserted?: string; tutorial?: TutorialFields }
  | { ok: false; errors: FormMessage[]; conflict?: { revisionId: number; source: string; author: string | null; at: string }; tutorial?: TutorialFields };

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

function stepRefused(result: StepResult, kind: HelpKind, tutorial?: TutorialFields): HelpOutcome | undefined {
  if (result.ok) return undefined;
  if ('problems' in result) return { ok: false, errors: problemsToErrors(kind, result.problems), tutorial };
  return { ok: false, errors: [{ message: result.reason === 'stale' ? 'editor.errors.stale' : 'editor.errors.state' }], tutorial };
}

/** Checks of the raw form fields before anything else: sizes and characters, in every text field posted. */
function fieldProblems(form: FormData, values: FormValues): FormMessage[] {
  const errors: FormMessage[] = [];
  let total = 0;
  for (const [name, value] of form) {
    if (typeof value !== 'string') continue;
    total += value.length;
    if (value.length > HELP_SOURCE_MAX) errors.push({ field: name, message: 'agent.errors.tooLong', params: { max: HELP_SOURCE_MAX, count: value.length } });
    else if (hasControlCharacters(value)) errors.push({ field: name, message: 'request.errors.controlCharacters' });
  }
  if (errors.length === 0 && total > HELP_SOURCE_MAX) errors.push({ message: 'agent.errors.tooLong', params: { max: HELP_SOURCE_MAX, count: total } });
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
      const errors = fieldProblems(form, values);
      if (errors.length > 0) return fail(...errors);

      if (intent === 'image') return addImage(agent, form, values);
      // A tutorial's pictures are stored as they come (each under the hash of its bytes), so
      // that the form keeps them whatever happens next; then a step may be added, moved or removed.
      let tutorial: TutorialFields | undefined;
      if (kind === 'tutorial') {
        const read = await tutorialWithPictures(agent, form, tutorialFieldsFromForm(values));
        if ('errors' in read) return { ok: false, errors: read.errors, tutorial: read.fields };
        tutorial = read.fields;
        const moved = applyStepOperation(tutorial, intent);
        if (moved) return { ok: true, preview: true, tutorial: moved };
      }
      if (intent === 'preview') return { ok: true, preview: true, tutorial };

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
      const source = sourceFromForm(kind, values, today(), tutorial);
      const base = number(values.get('base')) ?? null;
      let revisionId = entry?.headRevisionId ?? null;
      let savedEntryId = entry?.id;
      const headSource = entry?.headRevisionId ? (await findRevision(db, entry.headRevisionId))?.source : undefined;
      const unchanged = entry && base === entry.headRevisionId && headSource !== undefined && stripReviewed(headSource) === stripReviewed(source);
      if (!unchanged) {
        const saved = await saveRevision(db, agent, { entryId: entry?.id, kind, locale, slug, source, baseRevisionId: base, note: values.get('note') });
        if (!saved.ok) {
          if ('problems' in saved) return { ok: false, errors: problemsToErrors(kind, saved.problems), tutorial };
          if ('slugTaken' in saved) return { ok: false, errors: [{ field: 'slug', message: 'editor.errors.slugTaken' }], tutorial };
          const theirs = saved.conflict.theirs;
          return { ok: false, errors: [{ message: 'editor.errors.conflict' }], conflict: { revisionId: theirs.id, source: theirs.source, author: theirs.authorName, at: theirs.createdAt.toISOString() }, tutorial };
        }
        revisionId = saved.revisionId;
        savedEntryId = saved.entryId;
      }
      if (intent === 'save') return { ok: true, next: editorPath(savedEntryId!, '?enregistre=1') };
      if (intent === 'submit') {
        const current = await findEntry(db, savedEntryId!);
        if (current?.state === 'review') return { ok: true, next: editorPath(savedEntryId!, '?soumis=1') };
        return stepRefused(await submitForReview(db, agent, savedEntryId!, revisionId!), kind, tutorial) ?? { ok: true, next: editorPath(savedEntryId!, '?soumis=1') };
      }
      return stepRefused(await publishRevision(db, agent, savedEntryId!, revisionId!), kind, tutorial) ?? { ok: true, next: editorPath(savedEntryId!, '?publie=1') };
    },
  }),
};

/** Stores the pictures posted with a tutorial's steps; a picture that is not one is named next to its field. */
async function tutorialWithPictures(agent: SignedInAgent, form: FormData, fields: TutorialFields): Promise<{ fields: TutorialFields } | { fields: TutorialFields; errors: FormMessage[] }> {
  const errors: FormMessage[] = [];
  const db = await getDb();
  const store = async (prefix: 'step' | 'easy', steps: TutorialFields['steps']) =>
    Promise.all(
      steps.map(async (step, i) => {
        const file = form.get(`${prefix}-${i}-file`);
        if (!(file instanceof File) || file.size === 0) return step;
        const stored = await storeImage(db, agent, new Uint8Array(await file.arrayBuffer()));
        if (!stored.ok) {
          errors.push({ field: `${prefix}-${i}-file`, message: `editor.errors.image.${stored.reason}` });
          return step;
        }
        return { ...step, src: stored.src };
      }),
    );
  const read = { ...fields, steps: await store('step', fields.steps), easySteps: await store('easy', fields.easySteps) };
  return errors.length > 0 ? { fields: read, errors } : { fields: read };
}

/** The review date is set on each save: two texts that differ only by it are the same. */
const stripReviewed = (source: string) => source.replace(/^lastReviewed: .*$/m, '');
