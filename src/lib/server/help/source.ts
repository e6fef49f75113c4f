/**
 * A revision's text is its file: frontmatter and markdown for FAQ entries and tutorials, YAML
 * for the others. Reading it gives the fields and the body; writing fields back gives a text
 * the same files hold.
 */
import { parse, stringify } from 'yaml';
import type { HelpKind } from '../../../../db/schema';
import { KIND_FILES } from './files';

export interface ParsedSource {
  data: Record<string, unknown>;
  /** The markdown after the frontmatter ('' for YAML entries). */
  body: string;
}

export class SourceError extends Error {}

const isMarkdown = (kind: HelpKind) => KIND_FILES[kind].extension === '.md';

export function parseSource(kind: HelpKind, source: string): ParsedSource {
  let yamlText = source;
  let body = '';
  if (isMarkdown(kind)) {
    const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(source);
    if (!match) throw new SourceError('the text must start with a frontmatter block between two "---" lines');
    yamlText = match[1]!;
    body = source.slice(match[0].length);
  }
  let data: unknown;
  try {
    data = parse(yamlText, { prettyErrors: false, maxAliasCount: 0, uniqueKeys: true });
  } catch (error) {
    throw new SourceError(`the fields cannot be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new SourceError('the fields must be a list of "name: value" lines');
  return { data: data as Record<string, unknown>, body };
}

/** The text of an entry from its fields (and body); undefined fields are left out. */
export function composeSource(kind: HelpKind, data: Record<string, unknown>, body = ''): string {
  const clean = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0)));
  const yamlText = stringify(clean, { lineWidth: 0 });
  if (!isMarkdown(kind)) return yamlText;
  const text = body.replace(/\r\n/g, '\n').trim();
  return `---\n${yamlText}---\n${text}${text ? '\n' : ''}`;
}
