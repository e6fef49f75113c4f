// Generates N realistic French FAQ entries into <content>/faq/fr/, spread over the real topics,
// each linking to two earlier entries, so the benchmarks build a corpus shaped like real content.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const procedures = ['l’inscription scolaire', 'la cantine', 'la facture d’eau', 'le badge de déchèterie', 'l’acte de naissance', 'la carte d’identité', 'l’accueil du soir', 'la redevance des déchets', 'le transport scolaire', 'la crèche', 'le centre de loisirs', 'la salle des fêtes'];
const problems = [
  ['je ne peux pas me connecter', 'connexion'],
  ['le code de vérification n’arrive pas', 'connexion'],
  ['mon compte n’est pas activé', 'compte'],
  ['je veux ajouter un second parent', 'compte'],
  ['le document est refusé', 'documents'],
  ['le fichier est trop lourd', 'documents'],
  ['le paiement échoue', 'paiement'],
  ['je n’ai pas de carte bancaire', 'paiement'],
  ['je ne trouve pas le formulaire', 'ecole-cantine'],
  ['la réservation ne s’enregistre pas', 'ecole-cantine'],
  ['je n’ai pas reçu de réponse', 'suivi-demande'],
  ['je dois compléter mon dossier', 'suivi-demande'],
  ['je n’ai pas d’ordinateur', 'equipement-formation'],
  ['mon lecteur d’écran ne lit pas la page', 'accessibilite'],
  ['je dois fournir un justificatif', 'etat-civil'],
  ['la facture me semble trop élevée', 'eau-dechets'],
];
const sentences = [
  'Vérifiez d’abord que vous utilisez le bon compte, celui qui a servi à faire la première demande.',
  'Fermez puis rouvrez votre navigateur : une ancienne session peut bloquer la page.',
  'Si le message d’erreur revient, notez-le mot pour mot, avec l’heure, avant d’appeler le service d’aide.',
  'Le délai habituel de traitement est de cinq jours ouvrés ; il peut être plus long pendant les vacances scolaires.',
  'Un conseiller numérique peut faire la démarche avec vous, gratuitement, à la médiathèque ou dans un espace France Services.',
  'Les justificatifs doivent être lisibles en entier, sans coin coupé ni reflet.',
  'Vous recevez un e-mail de confirmation à chaque étape ; pensez à regarder dans le courrier indésirable.',
  'Le paiement peut aussi se faire chez un buraliste agréé, avec le QR code de la facture.',
  'Si vous agissez pour un proche, indiquez-le dans le formulaire et gardez son accord par écrit.',
  'Aucun agent ne vous demandera jamais votre mot de passe ni le numéro complet de votre carte bancaire.',
  'En cas d’urgence, le guichet de la mairie reste ouvert aux horaires habituels, sans rendez-vous.',
  'Les demandes incomplètes sont conservées trente jours, puis classées sans suite.',
];

const slugify = (text) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

/** Writes `count` entries; returns the slug of the first one (a page to weigh). */
export function generateFaqCorpus(contentDir, count) {
  const dir = join(contentDir, 'faq', 'fr');
  mkdirSync(dir, { recursive: true });
  const topics = new Set(readdirSync(join(contentDir, 'topics', 'fr')).map((f) => f.replace(/\.yaml$/, '')));
  const slugs = [];
  for (let i = 0; i < count; i++) {
    const [problem, topic] = problems[i % problems.length];
    const procedure = procedures[Math.floor(i / problems.length) % procedures.length];
    const question = `Pour ${procedure}, ${problem} : que faire ? (cas n° ${i + 1})`;
    const slug = `gen-${String(i + 1).padStart(5, '0')}-${slugify(`${procedure} ${problem}`)}`;
    const pick = (k) => sentences[(i * 7 + k * 3) % sentences.length];
    const links = slugs.length >= 2 ? [slugs[(i * 13) % slugs.length], slugs[(i * 31 + 1) % slugs.length]] : [];
    const body = [
      `Cette situation arrive souvent avec ${procedure}. ${pick(0)} ${pick(1)}`,
      '',
      `1. ${pick(2)}`,
      `2. ${pick(3)}`,
      `3. ${pick(4)}`,
      '',
      `${pick(5)} ${pick(6)}`,
      '',
      ...(links.length ? [`Voir aussi [une question proche](/faq/${links[0]}/) et [cette autre réponse](/faq/${links[1]}/).`] : []),
    ].join('\n');
    const frontmatter = [
      '---',
      `question: ${JSON.stringify(question)}`,
      `topic: ${topics.has(topic) ? topic : [...topics][0]}`,
      'procedures:',
      `  - ${JSON.stringify(procedure)}`,
      'lastReviewed: 2026-11-01',
      '---',
      '',
    ].join('\n');
    writeFileSync(join(dir, `${slug}.md`), frontmatter + body + '\n');
    slugs.push(slug);
  }
  return slugs[0];
}
