import { expect, it } from 'vitest';
import { inlineMarkdown } from '../../src/lib/inline-markdown';

it('renders bold and site links, and escapes any HTML written in a tutorial step', () => {
  expect(inlineMarkdown('Cliquez **ici** puis [lisez](/faq/x/).')).toBe('Cliquez <strong>ici</strong> puis <a href="/faq/x/">lisez</a>.');
  expect(inlineMarkdown('<img src=x onerror=alert(1)> [x](javascript:alert(1))')).toBe('&lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1))');
});
