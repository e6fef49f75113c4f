/**
 * The checks every save, publish and import runs on an entry's text: it reads (frontmatter,
 * YAML), its fields pass the content schemas, and what it points to exists (topic, internal
 * links, images). Problems come back per field, for the editor to show beside each one.
 */
import type { HelpKind } from '../../../../db/schema';
import { brokenInlineLinks } from '../../content-links';
import { faqSchema, glossarySchema, type ImageCheck, placeSchema, topicSchema, tutorialSchema } from '../../../schemas/content';
import { parseSource, SourceError } from './source';

export interface CheckContext {
  topics: ReadonlySet<string>;
  knownPaths: ReadonlySet<string>;
  imageExists: ImageCheck;
}

export interface Problem {
  /** The field, as a dotted path ("steps.2.image.alt"); '' for the text as a whole, 'body' for the markdown. */
  field: string;
  /** In English, for files and logs. */
  message: string;
  /** The same for the workspace: a key of src/i18n/ ("help.problem.…") and its values. */
  key: string;
  params?: Record<string, string | number>;
}

type ZodIssue = { code: string; path: PropertyKey[]; message: string; minimum?: unknown; maximum?: unknown; origin?: string; input?: unknown; expected?: string };

/** A schema's complaint as the workspace words it. */
function issueProblem(issue: ZodIssue): Problem {
  const field = issue.path.map(String).join('.');
  const base = { field, message: issue.message };
  if (issue.code === 'invalid_type' && issue.input === undefined) return { ...base, key: 'editor.problem.required' };
  if (issue.code === 'too_small') return { ...base, key: issue.origin === 'array' ? 'editor.problem.tooFew' : 'editor.problem.tooShort', params: { min: Number(issue.minimum) } };
  if (issue.code === 'too_big') return { ...base, key: issue.origin === 'array' ? 'editor.problem.tooMany' : 'editor.problem.tooLong', params: { max: Number(issue.maximum) } };
  if (/^unknown topic/.test(issue.message)) return { ...base, key: 'editor.problem.unknownTopic' };
  if (/^image not found/.test(issue.message)) return { ...base, key: 'editor.problem.imageNotFound', params: { src: String(issue.input ?? '') } };
  if (/text alternative/.test(issue.message)) return { ...base, key: 'editor.problem.altMissing' };
  if (/^broken internal link "([^"]+)"/.test(issue.message)) return { ...base, key: 'editor.problem.brokenLink', params: { url: /"([^"]+)"/.exec(issue.message)![1]! } };
  if (/date/.test(issue.message) || issue.expected === 'date') return { ...base, key: 'editor.problem.date' };
  if (/lowercase letters, digits and hyphens/.test(issue.message)) return { ...base, key: 'editor.problem.slug' };
  return { ...base, key: 'editor.problem.invalid' };
}

export type Checked = { ok: true; data: Record<string, unknown>; body: string } | { ok: false; problems: Problem[] };

function schemaFor(kind: HelpKind, context: CheckContext) {
  switch (kind) {
    case 'faq':
      return faqSchema(context.topics);
    case 'tutorial':
      return tutorialSchema(context.topics, context.imageExists, context.knownPaths);
    case 'topic':
      return topicSchema;
    case 'glossary':
      return glossarySchema;
    case 'place':
      return placeSchema;
  }
}

/** Images written in markdown (`![alt](src)`): each needs a text alternative and must exist. */
function bodyImageProblems(body: string, context: CheckContext): Problem[] {
  const problems: Problem[] = [];
  for (const match of body.matchAll(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g)) {
    const [, alt, src] = match as unknown as [string, string, string];
    // An image with no text alternative is allowed only when marked decorative: ![](src "decorative").
    const decorative = alt === '' && /"decorative"\)$/.test(match[0]);
    if (!decorative && alt.trim().length < 3) problems.push({ field: 'body', message: `image "${src}" has no text alternative: describe what the picture shows (3 characters or more), or mark it decorative`, key: 'editor.problem.altMissing', params: { src } });
    if (src.startsWith('/') && !context.imageExists(src)) problems.push({ field: 'body', message: `image not found: ${src}`, key: 'editor.problem.imageNotFound', params: { src } });
  }
  return problems;
}

export function checkSource(kind: HelpKind, source: string, context: CheckContext): Checked {
  let parsed;
  try {
    parsed = parseSource(kind, source);
  } catch (error) {
    const message = error instanceof SourceError ? error.message : String(error);
    return { ok: false, problems: [{ field: '', message, key: /frontmatter/.test(message) ? 'editor.problem.frontmatter' : 'editor.problem.unreadable', params: { detail: message.replace(/^the fields cannot be read: /, '') } }] };
  }
  const result = schemaFor(kind, context).safeParse(parsed.data);
  const problems: Problem[] = result.success ? [] : result.error.issues.map((issue) => issueProblem(issue as unknown as ZodIssue));
  for (const url of brokenInlineLinks(parsed.body, context.knownPaths)) {
    problems.push({ field: 'body', message: `broken internal link "${url}": no page has this address`, key: 'editor.problem.brokenLink', params: { url } });
  }
  problems.push(...bodyImageProblems(parsed.body, context));
  if (problems.length > 0 || !result.success) return { ok: false, problems };
  return { ok: true, data: result.data as Record<string, unknown>, body: parsed.body };
}
