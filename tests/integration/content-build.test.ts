import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject, runAstro } from '../helpers/project-copy';

/**
 * The content checks as an editor meets them: Astro itself is run on a copy of the project
 * whose content was broken, and its message must name the file and the field.
 */
describe('a build with broken content fails with a message naming the file and field', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyProject();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const edit = (path: string, change: (text: string) => string) => {
    const file = join(dir, 'content', path);
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, change(before));
    return () => writeFileSync(file, before);
  };

  it('the unbroken copy syncs', () => {
    const { status, output } = runAstro(dir, 'sync');
    expect(output).not.toMatch(/error/i);
    expect(status).toBe(0);
  });

  it('refuses a tutorial image without alt text', () => {
    const restore = edit('tutorials/fr/creer-son-compte.md', (t) => t.replace('    alt: Un ordinateur allumé\n', ''));
    const { status, output } = runAstro(dir, 'sync');
    restore();
    expect(status).not.toBe(0);
    expect(output).toContain('fr/creer-son-compte');
    expect(output).toMatch(/steps\.0\.image\.alt/);
    expect(output).toContain('every image needs a text alternative');
  });

  it('refuses an FAQ entry with an unknown topic', () => {
    const restore = edit('faq/fr/carte-refusee.md', (t) => t.replace('topic: paiement', 'topic: payement'));
    const { status, output } = runAstro(dir, 'sync');
    restore();
    expect(status).not.toBe(0);
    expect(output).toContain('fr/carte-refusee');
    expect(output).toContain('unknown topic "payement"');
  });

  it('refuses a markdown body linking to a page that does not exist', () => {
    const restore = edit('faq/fr/carte-refusee.md', (t) => t.replace('(/faq/payer-sans-carte-bancaire/)', '(/faq/payer-sans-carte/)'));
    const { status, output } = runAstro(dir, 'build', { GUICHET_OUT_DIR: join(dir, 'dist') });
    restore();
    expect(status).not.toBe(0);
    expect(output).toContain('faq/fr/carte-refusee.md (body): broken internal link "/faq/payer-sans-carte/"');
  });
});
