/**
 * Markdown written by the support team, turned into HTML once per revision (stored with it,
 * see sourceHtml) by one processor made once. Raw HTML in the markdown is dropped and the output passes rehype-sanitize (GitHub's
 * rules: no script, no event attribute, no javascript: link), so nothing an editor types runs
 * on a page.
 */
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import type { HelpKind } from '../../../../db/schema';
import { KIND_FILES } from './files';
import { parseSource } from './source';

const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSanitize).use(rehypeStringify).freeze();

export function renderMarkdown(markdown: string): string {
  return String(processor.processSync(markdown));
}

/** The HTML a revision stores beside its text: its markdown body rendered (null for YAML entries, or a text that does not read). */
export function sourceHtml(kind: HelpKind, source: string): string | null {
  if (KIND_FILES[kind].extension !== '.md') return null;
  try {
    return renderMarkdown(parseSource(kind, source).body);
  } catch {
    return null;
  }
}
