import { describe, expect, it } from 'vitest';
import { type Engine, runSearch } from '../../src/lib/search/run';
import { buildLexicon, normalize, understand } from '../../src/lib/search/understand';
import { curlyApostrophes, excerptPieces } from '../../src/lib/search/excerpt';

const content = [
  'J’ai oublié mon mot de passe : comment me reconnecter ?',
  'Ma carte bancaire est refusée au paiement de la cantine.',
  'Inscrire un enfant à l’école : le livret de famille et un justificatif de domicile.',
  'Demander un acte de décès à la mairie. Le décès est déclaré en mairie.',
  'Je n’arrive pas à recevoir le code par SMS.',
  'Vous pouvez nous écrire.',
];
const groups = [
  ['mot de passe', 'mdp', 'code secret'],
  ['carte bancaire', 'cb', 'carte bleue', 'carte de crédit'],
  ['sms', 'texto'],
  ['où en est', 'délai'],
];
const lexicon = buildLexicon(content, groups, 6);
const alternatives = (query: string, options?: { exact?: boolean }) => understand(query, lexicon, options).concepts.map((c) => c.alternatives);

describe('reading a query as residents type it', () => {
  it('ignores case, accents and filler words, and searches words as the content spells them', () => {
    expect(normalize('École Œuvre')).toBe('ecole oeuvre');
    // "père" is not in the content, nor near a word of it: left out.
    expect(alternatives('Je veux le DECES de mon père')).toEqual([['décès']]);
    expect(alternatives('inscrire a l ecole')).toEqual([['inscrire'], ['école']]);
  });

  it('searches a query of filler words only as it is', () => {
    // Still only the words the content holds.
    expect(alternatives('comment je peux')).toEqual([['comment'], ['je']]);
  });

  it('maps abbreviations and everyday words to the content’s words, longest expression first, keeping only what the content holds', () => {
    expect(alternatives('mdp')).toEqual([['mot de passe']]);
    // "carte de crédit" is not in the content: only what it holds is searched.
    expect(alternatives('ma cb refusée')).toEqual([['carte bancaire'], ['refusée']]);
    expect(alternatives('carte bleue')).toEqual([['carte bancaire']]);
    expect(alternatives('texto')).toEqual([['sms']]);
  });

  it('reads glued elisions ("narrive") as the word the content holds', () => {
    // "arrive" is then a filler word, as "je" and "pas".
    expect(alternatives('je narrive pas a recevoir le code')).toEqual([['recevoir'], ['code']]);
    expect(understand('lecole', lexicon).concepts[0]?.alternatives).toEqual(['école']);
  });

  it('corrects a typo to the nearest word of the content, within a distance that grows with the word, and says so', () => {
    const understood = understand('cantinne refusee', lexicon);
    expect(understood.concepts.map((c) => c.alternatives)).toEqual([['cantine'], ['refusée']]);
    // Written as the content writes it, accents included.
    expect(understood.corrected).toBe('cantine refusée');
    // Two letters wrong in a long word.
    expect(understand('justificattiff', lexicon).concepts[0]?.correction).toBe('justificatif');
    // Short words are not changed into other words ("vois" is not "vous"), and a word too far is dropped.
    expect(alternatives('vois')).toEqual([]);
    expect(alternatives('xylophone cantine')).toEqual([['cantine']]);
  });

  it('does not call a plural a correction, and corrects nothing when asked for the exact words', () => {
    expect(understand('cantines', lexicon).corrected).toBeUndefined();
    expect(alternatives('cantinne', { exact: true })).toEqual([['cantinne']]);
  });

  it('lets the word being typed be finished by the engine', () => {
    expect(alternatives('carte bancaire pai')).toEqual([['carte bancaire'], ['pai']]);
  });

  it("searches an expression of several filler words (\"où en est\"), a filler word alone only when the query holds nothing else", () => {
    const understood = understand('ou en est', lexicon);
    expect(understood.concepts.map((c) => c.alternatives)).toEqual([['ou en est']]);
    expect(alternatives('est')).toEqual([['est']]);
    expect(alternatives('est cantine')).toEqual([['cantine']]);
  });

  it('reads at most 200 characters', () => {
    expect(understand(`${'a'.repeat(300)} cantine`, lexicon).concepts).toEqual([]);
  });
});

describe('ranking the pages', () => {
  // An engine over fixed answers: each search text finds the listed pages with their scores.
  const engine = (answers: Record<string, [string, number][]>): Engine<string> & { searched: string[] } => {
    const searched: string[] = [];
    return {
      searched,
      async search(text) {
        searched.push(text);
        return (answers[text] ?? []).map(([id, score]) => ({ id, score, data: async () => id }));
      },
    };
  };

  it('ranks first the pages that answer the most concepts, and never answers nothing because of one word', async () => {
    const found = engine({
      'carte bancaire': [['carte', 5], ['sans-carte', 9]],
      cantine: [['carte', 2], ['cantine', 8]],
    });
    const understood = { concepts: [{ typed: 'cb', alternatives: ['carte bancaire'] }, { typed: 'cantine', alternatives: ['cantine'] }, { typed: 'zorglub', alternatives: ['zorglub'] }] };
    const ranked = await runSearch(found, understood, 10);
    expect(ranked[0]).toMatchObject({ id: 'carte', matched: 2 });
    expect(ranked.map((hit) => hit.id).sort()).toEqual(['cantine', 'carte', 'sans-carte']);
    expect(found.searched).toEqual(['carte bancaire', 'cantine', 'zorglub']);
  });

  it('takes a concept’s best alternative on each page, and weighs a rare concept above a common one', async () => {
    const found = engine({
      sms: [['code', 3]],
      texto: [['code', 7]],
      // "paiement" is on many pages, "remboursement" on one.
      paiement: [['a', 9], ['b', 9], ['c', 9], ['d', 9], ['e', 9]],
      remboursement: [['r', 1]],
    });
    const ranked = await runSearch(found, { concepts: [{ typed: 'sms', alternatives: ['sms', 'texto'] }] }, 10);
    expect(ranked).toHaveLength(1);
    expect(ranked[0]).toMatchObject({ id: 'code', matched: 1 });
    const weighed = await runSearch(found, { concepts: [{ typed: 'paiement', alternatives: ['paiement'] }, { typed: 'remboursement', alternatives: ['remboursement'] }] }, 10);
    expect(weighed[0]?.id).toBe('r');
  });

  it('counts the best 200 pages of each search', async () => {
    const many = Array.from({ length: 300 }, (_, i) => [`p${i}`, 300 - i] as [string, number]);
    const ranked = await runSearch(engine({ carte: many }), { concepts: [{ typed: 'carte', alternatives: ['carte'] }] }, 1000);
    expect(ranked.map((hit) => hit.id)).toContain('p199');
    expect(ranked.map((hit) => hit.id)).not.toContain('p200');
  });

  it('runs at most 24 searches for one query', async () => {
    const found = engine({});
    const concepts = Array.from({ length: 10 }, (_, i) => ({ typed: `w${i}`, alternatives: [`a${i}`, `b${i}`, `c${i}`] }));
    await runSearch(found, { concepts }, 10);
    expect(found.searched).toHaveLength(24);
  });
});

describe('excerpts', () => {
  it('gives text pieces with the matches marked, unescaped, curly apostrophes back between letters', () => {
    expect(excerptPieces("l'école &lt;b&gt; <mark>cantine</mark> fin")).toEqual([
      { text: 'l’école <b> ', match: false },
      { text: 'cantine', match: true },
      { text: ' fin', match: false },
    ]);
    expect(curlyApostrophes("J'ai 'ceci'")).toBe('J’ai \'ceci\'');
  });
});
