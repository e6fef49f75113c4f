import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lib/server/help/render';
import { composeSource, parseSource } from '../../src/lib/server/help/source';

/**
 * The tags of the output (text is escaped: its "<" is "&#x3C;", so every "<" starts a real tag)
 * that could run something: a script-like element, an event attribute, a script address.
 * Attributes are read as a browser reads them (a quoted value is a value, whatever it holds).
 */
const ATTRIBUTE = /([^\s"'>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
function dangerousTags(html: string): string[] {
  const tags = html.match(/<[a-z][a-z0-9]*(?:\s+[^\s"'>\/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*\s*\/?>/gi) ?? [];
  return tags.filter((tag) => {
    const name = /^<([a-z][a-z0-9]*)/i.exec(tag)![1]!;
    if (/^(script|iframe|object|embed|style|svg|math|base|form|meta|link)$/i.test(name)) return true;
    for (const [, attribute, ...values] of tag.slice(name.length + 1).matchAll(ATTRIBUTE)) {
      const value = values.find((v) => v !== undefined) ?? '';
      if (/^(on\w+|srcdoc|style)$/i.test(attribute!)) return true;
      if (/^(href|src|action|formaction)$/i.test(attribute!) && /^\s*(javascript|vbscript|data):/i.test(value.replace(/&#x?[0-9a-f]+;?/gi, ''))) return true;
    }
    return false;
  });
}

describe('markdown written in the workspace', () => {
  it('keeps the formatting residents need (emphasis, lists, links, images with their text alternative, tables)', () => {
    const html = renderMarkdown('**Important** : [le formulaire](/demande/).\n\n- un\n- deux\n\n![Un cadenas](/tutoriels/cadenas.svg)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(html).toContain('<strong>Important</strong>');
    expect(html).toContain('<a href="/demande/">le formulaire</a>');
    expect(html).toContain('<li>un</li>');
    expect(html).toContain('<img src="/tutoriels/cadenas.svg" alt="Un cadenas">');
    expect(html).toContain('<table>');
  });

  it('drops raw HTML, scripts, event attributes and javascript: links', () => {
    const attacks = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(1)">',
      '[clic](javascript:alert(1))',
      '[clic](JaVaScRiPt:alert(1))',
      '![x](javascript:alert(1))',
      '<iframe src="https://evil.example"></iframe>',
      '<a href="#" onclick="alert(1)">a</a>',
      '<style>body{display:none}</style>',
      '[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '<svg><script>alert(1)</script></svg>',
      '<details open ontoggle=alert(1)>',
      '[x](vbscript:msgbox(1))',
    ];
    for (const attack of attacks) {
      const html = renderMarkdown(`Texte.\n\n${attack}\n`);
      expect(dangerousTags(html), attack).toEqual([]);
      expect(html, attack).not.toMatch(/<script|javascript:alert\(1\)"|srcdoc/i);
    }
  });

  it('reads attributes as a browser does: markup inside a quoted value is text, an event attribute is caught', () => {
    expect(dangerousTags('<img src="" alt="<svg onload=">')).toEqual([]);
    expect(dangerousTags('<img src="x" onerror="alert(1)">')).toHaveLength(1);
    expect(dangerousTags('<a title="a" href="javascript:alert(1)">x</a>')).toHaveLength(1);
    expect(dangerousTags('<svg>')).toHaveLength(1);
  });

  it('never lets markup through, whatever is typed (generated input)', () => {
    const piece = fc.constantFrom('<script>', '</script>', '<img src=x onerror=alert(1)>', 'javascript:', '[a](', ')', '![', '](', '"', "'", '<', '>', '&', '`', '\n', ' on', 'click=', '<a href="', '<svg onload=', '\\', '*', '_');
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string()), { maxLength: 30 }), (parts) => {
        expect(dangerousTags(renderMarkdown(parts.join('')))).toEqual([]);
      }),
      { numRuns: Number(process.env.FC_MD_RUNS) || 500 },
    );
  });
});

describe("an entry's text", () => {
  it('reads back the fields and body it was written from', () => {
    const source = composeSource('faq', { question: 'Comment payer la cantine ?', topic: 'paiement', keywords: ['cb'], lastReviewed: '2026-12-01' }, 'Réponse.\n\nDeuxième paragraphe.');
    expect(source.startsWith('---\nquestion: Comment payer la cantine ?\n')).toBe(true);
    expect(parseSource('faq', source)).toEqual({ data: { question: 'Comment payer la cantine ?', topic: 'paiement', keywords: ['cb'], lastReviewed: '2026-12-01' }, body: 'Réponse.\n\nDeuxième paragraphe.\n' });
  });

  it('refuses a text without its frontmatter, or with fields that do not read, with a message', () => {
    expect(() => parseSource('faq', 'Pas de champs')).toThrow(/frontmatter/);
    expect(() => parseSource('topic', 'title: [unclosed')).toThrow(/cannot be read/);
    expect(() => parseSource('topic', '- a list')).toThrow(/name: value/);
  });
});
