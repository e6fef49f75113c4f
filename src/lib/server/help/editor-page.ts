/**
 * What the editor's pages need, gathered once per request: the entry, the text the form
 * shows (what was posted, else the head revision), the topics to choose from, and whether
 * this agent may publish.
 */
import type { AstroGlobal } from 'astro';
import type { HelpOutcome } from '../../../actions/agent/help';
import { mayPublish } from '../../../actions/agent/help';
import { and, eq } from 'drizzle-orm';
import { HELP_KINDS, type HelpKind, messages, requests } from '../../../../db/schema';
import { can } from '../auth/permissions';
import type { Locale } from '../../../i18n/routes';
import { topics } from '../catalog';
import { type AgentPage, prepareAgentPage } from '../auth/page';
import { getDb } from '../db';
import { editedByField, emptyTutorial, type FaqFields, faqFieldsFromForm, faqFieldsFromSource, type TutorialFields, tutorialFieldsFromForm, tutorialFieldsFromSource } from './editor-form';
import { parseSource } from './source';
import { type EntryRow, findEntry, findRevision, translationOutOfDate } from './workflow';

export interface EditorPage extends AgentPage {
  entry?: EntryRow;
  kind: HelpKind;
  contentLocale: Locale;
  base: number | null;
  faq?: FaqFields;
  tutorial?: TutorialFields;
  source?: string;
  slug?: string;
  topicOptions: { value: string; label: string }[];
  outcome?: HelpOutcome;
  mayPublish: boolean;
  previewBody: string;
  previewTitle: string;
  outOfDate: boolean;
  notFound: boolean;
  /** The answer starts from a reply to a request: the page reminds to remove what concerns the person. */
  fromReply: boolean;
}

/** A new entry's starting text, per kind (the form's "source" for kinds edited as a whole). */
const TEMPLATES: Record<Exclude<HelpKind, 'faq' | 'tutorial'>, string> = {
  topic: 'title: \ndescription: \norder: 100\n',
  glossary: 'term: \ndefinition: \n',
  place: "name: \nkind: mairie\naddress:\n  street: \n  postcode: '00000'\n  city: \nhours:\n  - days: [mon]\n    opens: '09:00'\n    closes: '12:00'\nstepFreeAccess: true\nservices:\n  - online-procedures\n",
};

export async function prepareEditorPage(Astro: AstroGlobal, entryId: number | 'new'): Promise<EditorPage> {
  const page = await prepareAgentPage(Astro, 'help:write', ['helpEntry']);
  const db = await getDb();
  const entry = entryId === 'new' ? undefined : await findEntry(db, entryId);
  const query = Astro.url.searchParams;
  const posted = page.posted;
  const kind = entry?.kind ?? ((HELP_KINDS as readonly string[]).includes(posted?.get('kind') || query.get('type') || '') ? ((posted?.get('kind') || query.get('type')) as HelpKind) : 'faq');
  const contentLocale: Locale = entry?.locale ?? ((posted?.get('locale') || query.get('langue')) === 'en' ? 'en' : 'fr');
  const outcome = page.result?.data as HelpOutcome | undefined;
  const head = entry?.headRevisionId ? await findRevision(db, entry.headRevisionId) : undefined;
  let faq: FaqFields | undefined;
  let tutorial: TutorialFields | undefined;
  let source: string | undefined;
  // From a reply to a request (`?message=`): its text starts the answer.
  const reply = !entry && !posted && page.agent && can(page.agent, 'request:read') ? await agentReply(db, Number(query.get('message'))) : undefined;
  if (kind === 'tutorial') {
    tutorial = outcome?.tutorial ?? (posted ? tutorialFieldsFromForm(posted) : head ? tutorialFieldsFromSource(head.source) : { ...emptyTutorial(), audience: query.get('public') === 'agents' ? 'staff' : 'residents' });
  } else if (editedByField(kind)) {
    faq = posted
      ? faqFieldsFromForm(posted)
      : head
        ? faqFieldsFromSource(head.source)
        : { question: '', topic: '', audience: query.get('public') === 'agents' ? 'staff' : 'residents', procedures: reply?.procedure ?? '', keywords: (query.get('recherche') ?? '').slice(0, 60), translationOf: '', body: reply?.body ?? '' };
    if (outcome?.ok && outcome.inserted) faq = { ...faq, body: `${faq.body}${faq.body ? '\n\n' : ''}${outcome.inserted}` };
  } else {
    source = posted ? posted.get('source').replace(/\r\n?/g, '\n') : (head?.source ?? TEMPLATES[kind as Exclude<HelpKind, 'faq' | 'tutorial'>]);
  }
  const topicOptions = (await topics(contentLocale)).map((topic) => ({ value: topic.slug, label: topic.data.title }));
  let previewBody = faq?.body ?? tutorial?.body ?? '';
  let previewTitle = faq?.question ?? tutorial?.title ?? '';
  if (source !== undefined) {
    try {
      const parsed = parseSource(kind, source);
      previewBody = parsed.body;
      previewTitle = String(parsed.data.title ?? parsed.data.term ?? parsed.data.name ?? '');
    } catch {}
  }
  return {
    ...page,
    entry,
    kind,
    contentLocale,
    base: posted ? Number(posted.get('base')) || null : (entry?.headRevisionId ?? null),
    faq,
    tutorial,
    source,
    slug: posted?.get('slug') ?? '',
    topicOptions,
    outcome,
    mayPublish: page.agent ? await mayPublish(page.agent) : false,
    previewBody,
    previewTitle,
    outOfDate: entry ? await translationOutOfDate(db, entry) : false,
    notFound: entryId !== 'new' && !entry,
    fromReply: reply !== undefined,
  };
}

/** An agent's public reply (never an internal note), with the procedure of its request. */
async function agentReply(db: Awaited<ReturnType<typeof getDb>>, id: number): Promise<{ body: string; procedure: string } | undefined> {
  if (!Number.isInteger(id) || id <= 0) return undefined;
  const [row] = await db
    .select({ body: messages.body, procedure: requests.procedure })
    .from(messages)
    .innerJoin(requests, eq(requests.id, messages.requestId))
    .where(and(eq(messages.id, id), eq(messages.author, 'agent'), eq(messages.internal, false)));
  return row && !row.body.startsWith('merged-here:') ? row : undefined;
}
