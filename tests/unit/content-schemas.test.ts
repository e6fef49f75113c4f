import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { assertBodyLinks, brokenInlineLinks } from '../../src/lib/content-links';
import { faqSchema, imageInPublic, placeSchema, tutorialSchema } from '../../src/schemas/content';

const topics = new Set(['connexion', 'paiement']);
const known = new Set(['/faq/', '/faq/mot-de-passe-oublie/', '/en/faq/']);
const publicDir = resolve(import.meta.dirname, '../../public');
const tutorial = tutorialSchema(topics, imageInPublic(publicDir), known);
const image = { src: '/tutoriels/cle.svg', alt: 'Une clé' };
const validTutorial = {
  title: 'Se connecter',
  summary: 'Un résumé assez long pour passer.',
  topic: 'connexion',
  audience: 'everyone',
  durationMinutes: 5,
  lastReviewed: '2026-11-01',
  steps: [
    { title: 'Étape une', text: 'Voir [la question](/faq/mot-de-passe-oublie/).', image },
    { title: 'Étape deux', text: 'Cliquez.' },
  ],
};
const issuesOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (result.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('tutorial schema', () => {
  it('accepts a valid tutorial', () => {
    expect(tutorial.safeParse(validTutorial).success).toBe(true);
  });

  it('refuses an image without a text alternative, naming the field', () => {
    const broken = { ...validTutorial, steps: [{ ...validTutorial.steps[0], image: { src: image.src } }, validTutorial.steps[1]] };
    expect(issuesOf(tutorial.safeParse(broken))).toEqual([expect.stringMatching(/^steps\.0\.image\.alt: every image needs a text alternative/)]);
  });

  it('refuses an empty text alternative and a missing image file', () => {
    const broken = { ...validTutorial, steps: [{ ...validTutorial.steps[0], image: { src: '/tutoriels/absent.svg', alt: '  ' } }, validTutorial.steps[1]] };
    const issues = issuesOf(tutorial.safeParse(broken));
    expect(issues).toContain('steps.0.image.src: image not found: /tutoriels/absent.svg');
    expect(issues.some((i) => i.startsWith('steps.0.image.alt: every image needs a text alternative'))).toBe(true);
  });

  it('refuses a step linking to a page that does not exist', () => {
    const broken = { ...validTutorial, steps: [validTutorial.steps[0], { title: 'Étape deux', text: 'Voir [ceci](/faq/inexistant/).' }] };
    expect(issuesOf(tutorial.safeParse(broken))).toEqual([expect.stringMatching(/^steps\.1\.text: broken internal link "\/faq\/inexistant\/"/)]);
  });

  it('requires easy-to-read steps to have a picture each', () => {
    const broken = { ...validTutorial, easyRead: { intro: 'Simple.', steps: [{ text: 'Un.', image }, { text: 'Deux.' }] } };
    expect(issuesOf(tutorial.safeParse(broken))[0]).toMatch(/^easyRead\.steps\.1\.image/);
  });
});

describe('FAQ schema', () => {
  const faq = faqSchema(topics);
  it('refuses an unknown topic and lists the known ones', () => {
    const result = faq.safeParse({ question: 'Comment payer ma facture ?', topic: 'payement', lastReviewed: '2026-11-01' });
    expect(issuesOf(result)).toEqual(['topic: unknown topic "payement": choose one of the published topics (connexion, paiement)']);
  });
  it('refuses an invalid review date', () => {
    expect(issuesOf(faq.safeParse({ question: 'Comment payer ma facture ?', topic: 'paiement', lastReviewed: 'hier' }))[0]).toMatch(/^lastReviewed: lastReviewed must be a date/);
  });
});

describe('help place schema', () => {
  it('requires the step-free access to be stated', () => {
    const result = placeSchema.safeParse({
      name: 'Mairie',
      kind: 'mairie',
      address: { street: '1 rue', postcode: '21150', city: 'Brenne' },
      hours: [{ days: ['mon'], opens: '09:00', closes: '12:00' }],
      services: ['payments'],
    });
    expect(issuesOf(result)).toEqual(['stepFreeAccess: say whether the place has step-free access (true or false)']);
  });
});

describe('internal links in markdown bodies', () => {
  it('finds inline and reference links that lead nowhere, and ignores files and external links', () => {
    const body = 'Voir [a](/faq/mot-de-passe-oublie/), [b](/faq/absent/), [c](https://example.org/), ![i](/tutoriels/cle.svg)\n\n[ref]: /en/nowhere/';
    expect(brokenInlineLinks(body, known)).toEqual(['/faq/absent/', '/en/nowhere/']);
  });
  it('names the file in the error', () => {
    expect(() => assertBodyLinks([{ id: 'fr/x', filePath: 'content/faq/fr/x.md', body: '[b](/faq/absent/)' }], known)).toThrow(
      'content/faq/fr/x.md (body): broken internal link "/faq/absent/"',
    );
  });
});
