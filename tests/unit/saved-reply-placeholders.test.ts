import { describe, expect, it } from 'vitest';
import { firstName, publicAgentName } from '../../src/lib/agent-names';
import { fillPlaceholders } from '../../src/lib/saved-reply-placeholders';

const values = { firstName: 'Martine', reference: '123-456-789', link: 'https://aide.example.org/suivi/', agent: 'Sophie', signature: 'Sophie\nService enfance', deadline: '4 décembre 2026' };

describe('saved replies', () => {
  it('fill in their placeholders, in French or English, whatever the case and spacing', () => {
    expect(fillPlaceholders('Bonjour {prénom}, demande {référence} ({lien}), réponse avant le {délai}.\n{signature}', values)).toBe('Bonjour Martine, demande 123-456-789 (https://aide.example.org/suivi/), réponse avant le 4 décembre 2026.\nSophie\nService enfance');
    expect(fillPlaceholders('Hello {First Name}, {reference} — {agent}, { deadline }', values)).toBe('Hello Martine, 123-456-789 — Sophie, 4 décembre 2026');
  });

  it('leave an unknown placeholder, a lone brace and code-like text as written', () => {
    expect(fillPlaceholders('{nom} {prénom {x} } {}', values)).toBe('{nom} {prénom {x} } {}');
  });
});

describe('the name residents see', () => {
  it('is the public name chosen, or the first word of the team’s name, never its label', () => {
    expect(publicAgentName('Sophie (accueil)')).toBe('Sophie');
    expect(publicAgentName('Sophie (accueil)', '  ')).toBe('Sophie');
    expect(publicAgentName('Sophie (accueil)', 'Sophie M.')).toBe('Sophie M.');
    expect(publicAgentName('Jean-Paul Martin')).toBe('Jean-Paul');
    expect(firstName('  Martine Dupont ')).toBe('Martine');
  });
});
