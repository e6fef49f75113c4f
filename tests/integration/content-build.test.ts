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

  /** Runs Astro on the copy with one file changed, then puts the file back. */
  const runBroken = (path: string, change: (text: string) => string, command: 'sync' | 'build' = 'sync') => {
    const file = join(dir, 'content', path);
    const before = readFileSync(file, 'utf8');
    const after = change(before);
    expect(after, `the test's edit of ${path} applies`).not.toBe(before);
    writeFileSync(file, after);
    try {
      return runAstro(dir, command, { GUICHET_OUT_DIR: join(dir, 'dist') });
    } finally {
      writeFileSync(file, before);
    }
  };

  it('the unbroken copy syncs', () => {
    const { status, output } = runAstro(dir, 'sync');
    expect(output).not.toMatch(/error/i);
    expect(status).toBe(0);
  });

  it('refuses a tutorial image without alt text', () => {
    const { status, output } = runBroken('tutorials/fr/creer-son-compte.md', (t) => t.replace('    alt: Un ordinateur allumé\n', ''));
    expect(status).not.toBe(0);
    expect(output).toContain('fr/creer-son-compte');
    expect(output).toMatch(/steps\.0\.image\.alt/);
    expect(output).toContain('every image needs a text alternative');
  });

  it('refuses an FAQ entry with an unknown topic', () => {
    const { status, output } = runBroken('faq/fr/carte-refusee.md', (t) => t.replace('topic: paiement', 'topic: payement'));
    expect(status).not.toBe(0);
    expect(output).toContain('fr/carte-refusee');
    expect(output).toContain('unknown topic "payement"');
  });

  it('refuses a markdown body linking to a page that does not exist', () => {
    const { status, output } = runBroken(
      'faq/fr/carte-refusee.md',
      (t) => t.replace('(/faq/payer-sans-carte-bancaire/)', '(/faq/payer-sans-carte/)'),
      'build',
    );
    expect(status).not.toBe(0);
    expect(output).toContain('faq/fr/carte-refusee.md');
    expect(output).toContain('body: broken internal link "/faq/payer-sans-carte/"');
  });
});
