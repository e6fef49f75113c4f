import { describe, expect, it } from 'vitest';
import { createIndex, plainText, queryTerms, search, suggest } from '../../src/lib/text-search';

const index = createIndex([
  { url: '/faq/carte/', title: 'Ma carte bancaire est refusée', text: 'Vérifiez le cryptogramme et le plafond de paiement.' },
  { url: '/faq/sans-carte/', title: 'Payer sans carte bancaire', text: 'Chez un buraliste agréé, en espèces.' },
  { url: '/faq/ecole/', title: 'Inscrire un enfant à l’école', text: 'Le livret de famille et un justificatif de domicile.' },
]);

describe('search without JavaScript', () => {
  it('ignores accents, case and small words, and matches word starts', () => {
    expect(queryTerms('Le PAIEMENT refusé')).toEqual(['paiement', 'refuse']);
    expect(search(index, 'ecole').hits.map((h) => h.url)).toEqual(['/faq/ecole/']);
    expect(search(index, 'crypto').hits.map((h) => h.url)).toEqual(['/faq/carte/']);
  });

  it('needs every word, and ranks title matches first', () => {
    expect(search(index, 'carte buraliste').hits.map((h) => h.url)).toEqual(['/faq/sans-carte/']);
    const both = search(index, 'carte').hits.map((h) => h.url);
    expect(both).toHaveLength(2);
  });

  it('finds nothing for an empty or unknown query, without failing', () => {
    expect(search(index, '   ')).toEqual({ total: 0, hits: [] });
    expect(search(index, 'zzz').total).toBe(0);
    expect(search(index, '((*?[')).toEqual({ total: 0, hits: [] });
  });

  it('shows an excerpt around the first match, with the matched words marked', () => {
    expect(search(index, 'especes').hits[0]!.excerpt).toEqual([
      { text: 'Chez un buraliste agréé, en ', match: false },
      { text: 'espèces', match: true },
      { text: '.', match: false },
    ]);
    const long = createIndex([{ url: '/x/', title: 'Titre', text: `${'mot '.repeat(40)}paiement refusé ${'suite '.repeat(60)}` }]);
    const pieces = search(long, 'paiement').hits[0]!.excerpt;
    expect(pieces[0]).toEqual({ text: '… ', match: false });
    expect(pieces.find((p) => p.match)).toEqual({ text: 'paiement', match: true });
    expect(pieces.at(-1)).toEqual({ text: ' …', match: false });
  });

  it('turns markdown into plain text', () => {
    expect(plainText('Voir **ceci** et [la page](/faq/x/).\n\n- un\n2. deux')).toBe('Voir ceci et la page. un deux');
  });
});

describe('suggesting help entries for a request', () => {
  const index = createIndex([
    { url: '/faq/carte-refusee/', title: 'Ma carte bancaire est refusée', text: 'Le paiement par carte est refusé : vérifiez le plafond de la carte.' },
    { url: '/faq/mot-de-passe/', title: 'J’ai oublié mon mot de passe', text: 'Cliquez sur « mot de passe oublié » pour recevoir un lien.' },
    { url: '/faq/cantine/', title: 'Inscrire mon enfant à la cantine', text: 'L’inscription à la cantine se fait dans l’espace famille.' },
  ]);

  it('finds entries sharing the rarer words of a long description', () => {
    const found = suggest(index, 'Bonjour, quand je veux payer la cantine ma carte bancaire est refusée, pourtant elle marche ailleurs.');
    expect(found[0]?.url).toBe('/faq/carte-refusee/');
    expect(found.map((f) => f.url)).toContain('/faq/cantine/');
  });

  it('suggests nothing for a description with no meaningful word in common', () => {
    expect(suggest(index, 'Bonjour, rien ne va.')).toEqual([]);
    expect(suggest(index, '')).toEqual([]);
  });
});
