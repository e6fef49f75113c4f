import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyStepOperation, faqFieldsFromSource, faqSourceFromFields, problemField, tutorialFieldsFromSource, tutorialSourceFromFields } from '../../src/lib/server/help/editor-form';
import { parseSource } from '../../src/lib/server/help/source';
import { titleOf } from '../../src/lib/server/help/workflow';

const content = (path: string) => readFileSync(resolve(import.meta.dirname, '../../content', path), 'utf8');

describe('the editor form and an entry’s text', () => {
  it('an FAQ entry read into the form and written back keeps its fields and answer', () => {
    const source = content('faq/fr/carte-refusee.md');
    const again = faqSourceFromFields(faqFieldsFromSource(source), '2026-12-02');
    const before = parseSource('faq', source);
    const after = parseSource('faq', again);
    expect(after.data).toEqual({ ...before.data, lastReviewed: '2026-12-02' });
    expect(after.body.trim()).toBe(before.body.trim());
  });

  it('a tutorial read into the form and written back keeps its steps, pictures and easy-to-read version', () => {
    const source = content('tutorials/fr/creer-son-compte.md');
    const fields = tutorialFieldsFromSource(source);
    expect(fields.steps.length).toBeGreaterThan(2);
    expect(fields.easySteps.length).toBeGreaterThan(2);
    const before = parseSource('tutorial', source).data;
    const after = parseSource('tutorial', tutorialSourceFromFields(fields, String(before.lastReviewed))).data;
    expect(after).toEqual(before);
  });

  it('steps are added, moved and removed by the buttons of the form', () => {
    const fields = tutorialFieldsFromSource(content('tutorials/fr/creer-son-compte.md'));
    const titles = (f: typeof fields) => f.steps.map((s) => s.title);
    const added = applyStepOperation(fields, 'step-add')!;
    expect(added.steps).toHaveLength(fields.steps.length + 1);
    expect(titles(applyStepOperation(fields, 'step-up:1')!).slice(0, 2)).toEqual([fields.steps[1]!.title, fields.steps[0]!.title]);
    expect(titles(applyStepOperation(fields, 'step-down:0')!).slice(0, 2)).toEqual([fields.steps[1]!.title, fields.steps[0]!.title]);
    expect(titles(applyStepOperation(fields, 'step-remove:0')!)).toEqual(titles(fields).slice(1));
    expect(applyStepOperation(fields, 'easy-remove:0')!.easySteps).toHaveLength(fields.easySteps.length - 1);
    // Out of range or unknown: nothing moves.
    expect(titles(applyStepOperation(fields, 'step-up:0')!)).toEqual(titles(fields));
    expect(titles(applyStepOperation(fields, 'step-remove:99')!)).toEqual(titles(fields));
    expect(applyStepOperation(fields, 'save')).toBeUndefined();
  });

  it('a problem is shown next to the field it is about', () => {
    const at = (kind: 'faq' | 'tutorial' | 'glossary', field: string) => problemField(kind, { field, message: '', key: '' });
    expect(at('faq', 'procedures.2')).toBe('procedures');
    expect(at('faq', 'lastReviewed')).toBe('body');
    expect(at('tutorial', 'steps.2.image.alt')).toBe('step-2-alt');
    expect(at('tutorial', 'steps.2.image.src')).toBe('step-2-file');
    expect(at('tutorial', 'steps.0.text')).toBe('step-0-text');
    expect(at('tutorial', 'steps')).toBe('step-add');
    expect(at('tutorial', 'easyRead.steps.1.image.src')).toBe('easy-1-file');
    expect(at('tutorial', 'easyRead.intro')).toBe('easyIntro');
    expect(at('glossary', 'term')).toBe('source');
  });

  it('an entry’s title is read from its text for long lists', () => {
    for (const [kind, path, field] of [['faq', 'faq/fr/carte-refusee.md', 'question'], ['faq', 'faq/en/bigger-text-and-colours.md', 'question'], ['tutorial', 'tutorials/fr/creer-son-compte.md', 'title']] as const) {
      expect(titleOf(content(path)), path).toBe(parseSource(kind, content(path)).data[field]);
    }
    expect(titleOf('term: RIB\ndefinition: x')).toBe('RIB');
  });
});
