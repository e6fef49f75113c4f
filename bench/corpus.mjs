// Generates N realistic French FAQ entries, the same for Guichet (<content>/faq/fr/, spread over
// the real topics) and for Starlight: 24 procedures × 16 problems, each answer six of 48 sentences
// with their own documents, places and delays, each linking to two other entries. Deterministic.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const procedures = ['l’inscription scolaire', 'la cantine', 'la facture d’eau', 'le badge de déchèterie', 'l’acte de naissance', 'la carte d’identité', 'l’accueil du soir', 'la redevance des déchets', 'le transport scolaire', 'la crèche', 'le centre de loisirs', 'la salle des fêtes', 'le stationnement résident', 'la bibliothèque', 'la piscine municipale', 'le portail famille', 'les encombrants', 'le prêt de matériel', 'le recensement citoyen', 'les listes électorales', 'la concession au cimetière', 'l’école de musique', 'le permis de construire', 'le colis des aînés'];
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
const documents = ['le justificatif de domicile', 'l’avis d’imposition', 'le livret de famille', 'l’attestation de la CAF', 'la pièce d’identité', 'le RIB', 'le certificat médical', 'l’attestation d’assurance', 'la facture d’électricité', 'le carnet de vaccination'];
const places = ['la médiathèque', 'l’espace France Services', 'la mairie annexe', 'le centre social', 'la maison des solidarités', 'le point numérique de la gare'];
const delays = ['48 heures', 'cinq jours ouvrés', 'deux semaines', 'un mois'];
const devices = ['un téléphone Android', 'un iPhone', 'l’ordinateur de la bibliothèque', 'une tablette'];
const browsers = ['Firefox', 'Chrome', 'Safari', 'Edge'];
// Sentence templates: each entry uses six of them, with its own procedure, document, place…
const templates = [
  'Vérifiez d’abord que vous utilisez le bon compte, celui qui a servi à faire la première demande pour {proc}.',
  'Fermez puis rouvrez votre navigateur : une ancienne session peut bloquer la page.',
  'Si le message d’erreur revient, notez-le mot pour mot, avec l’heure, avant d’appeler le service d’aide.',
  'Le délai habituel de traitement est de {delay} ; il peut être plus long pendant les vacances scolaires.',
  'Un conseiller numérique peut faire la démarche avec vous, gratuitement, à {place}.',
  'Les justificatifs doivent être lisibles en entier, sans coin coupé ni reflet.',
  'Vous recevez un e-mail de confirmation à chaque étape ; pensez à regarder dans le courrier indésirable.',
  'Le paiement peut aussi se faire chez un buraliste agréé, avec le QR code de la facture.',
  'Si vous agissez pour un proche, indiquez-le dans le formulaire et gardez son accord par écrit.',
  'Aucun agent ne vous demandera jamais votre mot de passe ni le numéro complet de votre carte bancaire.',
  'En cas d’urgence, le guichet de la mairie reste ouvert aux horaires habituels, sans rendez-vous.',
  'Les demandes incomplètes sont conservées trente jours, puis classées sans suite.',
  'Pour {proc}, on vous demande {doc} : une photo prise avec {device} suffit si elle est nette.',
  'Le fichier ne doit pas dépasser 10 Mo ; une photo en taille moyenne fait l’affaire.',
  'Si la page reste blanche, essayez avec {browser} ou videz le cache de votre navigateur.',
  'Le montant est calculé selon votre quotient familial, que la CAF nous transmet chaque année.',
  'Vous pouvez suivre l’avancement de votre dossier dans votre espace, rubrique « Mes demandes ».',
  'Les horaires d’accueil de {place} sont affichés sur la page du lieu ; certains jours sont sur rendez-vous.',
  'Un parent séparé peut avoir son propre accès au portail famille, avec son adresse e-mail.',
  'Après trois essais manqués, le compte est verrouillé pendant quinze minutes par sécurité.',
  'Le code reçu par SMS est valable dix minutes ; demandez-en un nouveau s’il a expiré.',
  'Si vous changez d’adresse, mettez aussi à jour {doc}, sinon le dossier sera refusé.',
  'La facture est disponible le cinq de chaque mois et peut être payée jusqu’à la fin du mois suivant.',
  'Le prélèvement automatique évite les oublis ; il se met en place avec un RIB et un mandat signé.',
  'Les personnes malvoyantes peuvent demander les documents en gros caractères ou en braille.',
  'Un interprète peut être présent au rendez-vous si vous le demandez une semaine avant.',
  'Pour une réclamation, écrivez au service concerné en précisant la référence de la demande.',
  'La réponse arrive par e-mail ; si vous n’avez pas d’adresse, nous vous appelons ou vous écrivons par courrier.',
  'Les pièces envoyées sont effacées à la clôture du dossier, après le délai légal de conservation.',
  'Le site fonctionne mieux avec la dernière version de votre navigateur et de votre système.',
  'Avec {device}, le bouton d’envoi peut se trouver en bas de la page : faites défiler jusqu’au bout.',
  'La commune ne vend aucun service payant sur internet en dehors de ce portail ; méfiez-vous des sites qui l’imitent.',
  'Pendant les travaux de maintenance, annoncés sur la page d’accueil, le service est indisponible quelques heures.',
  'Le dossier de {proc} se dépose avant la date limite indiquée dans le calendrier de l’année.',
  'Le reçu de paiement vaut justificatif : téléchargez-le et gardez-le au moins un an.',
  'Une personne sous tutelle peut faire la démarche par l’intermédiaire de son tuteur, avec le jugement.',
  'Les familles nombreuses bénéficient d’un tarif réduit à partir du troisième enfant inscrit.',
  'La carte de la déchèterie est personnelle : elle est liée à l’adresse du foyer.',
  'Le remboursement d’un trop-perçu se fait par virement dans un délai de {delay}.',
  'Si votre enfant a une allergie, joignez un projet d’accueil individualisé signé par le médecin.',
  'Le service d’aide répond du lundi au vendredi, de 8 h 30 à 17 h 30, au numéro indiqué en bas de page.',
  'Les messages envoyés le week-end sont traités le lundi matin, dans l’ordre d’arrivée.',
  'Une capture d’écran du message d’erreur aide beaucoup l’agent qui traite votre demande.',
  'Les lecteurs d’écran NVDA, JAWS et VoiceOver sont pris en charge ; signalez-nous toute page difficile à lire.',
  'Si vous n’avez ni ordinateur ni téléphone, un agent remplit le formulaire avec vous à {place}.',
  'Le formulaire garde vos réponses vingt-quatre heures : vous pouvez le finir plus tard.',
  'Pour {proc}, la demande faite en ligne a la même valeur qu’un dossier papier déposé en mairie.',
  'En cas de désaccord avec la décision, un recours gracieux est possible dans un délai de deux mois.',
];

let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const any = (list) => list[Math.floor(random() * list.length)];

const slugify = (text) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

/**
 * The corpus: `count` FAQ entries, the same for every site that is measured. Each belongs to
 * one of `topics` (the portal's real topics when they match) and links to two earlier ones.
 */
export function faqEntries(count, topics = []) {
  seed = 7;
  const known = new Set(topics);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const [problem, topic] = problems[i % problems.length];
    const procedure = procedures[Math.floor(i / problems.length) % procedures.length];
    const question = `Pour ${procedure}, ${problem} : que faire ? (cas n° ${i + 1})`;
    const slug = `gen-${String(i + 1).padStart(5, '0')}-${slugify(`${procedure} ${problem}`)}`;
    const fill = (template) => template.replace('{proc}', procedure).replace('{doc}', any(documents)).replace('{place}', any(places)).replace('{delay}', any(delays)).replace('{device}', any(devices)).replace('{browser}', any(browsers));
    const chosen = new Set();
    while (chosen.size < 6) chosen.add(Math.floor(random() * templates.length));
    const [a, b, c, d, e, f] = [...chosen].map((k) => fill(templates[k]));
    const links = entries.length >= 2 ? [entries[(i * 13) % entries.length].slug, entries[(i * 31 + 1) % entries.length].slug] : [];
    const body = [
      `Cette situation arrive souvent avec ${procedure}. ${a} ${b}`,
      '',
      `1. ${c}`,
      `2. ${d}`,
      `3. ${e}`,
      '',
      f,
      '',
      ...(links.length ? [`Voir aussi [une question proche](/faq/${links[0]}/) et [cette autre réponse](/faq/${links[1]}/).`] : []),
    ].join('\n');
    entries.push({ slug, question, procedure, topic: known.size === 0 || known.has(topic) ? topic : topics[0], body });
  }
  return entries;
}

/** Writes the corpus into Guichet's layout under `contentDir`; returns the first entry's slug. */
export function generateFaqCorpus(contentDir, count) {
  const dir = join(contentDir, 'faq', 'fr');
  mkdirSync(dir, { recursive: true });
  const topics = readdirSync(join(contentDir, 'topics', 'fr')).map((f) => f.replace(/\.yaml$/, ''));
  const entries = faqEntries(count, topics);
  for (const entry of entries) {
    const frontmatter = ['---', `question: ${JSON.stringify(entry.question)}`, `topic: ${entry.topic}`, 'procedures:', `  - ${JSON.stringify(entry.procedure)}`, 'lastReviewed: 2026-11-01', '---', ''].join('\n');
    writeFileSync(join(dir, `${entry.slug}.md`), frontmatter + entry.body + '\n');
  }
  return entries[0].slug;
}

/** Writes the same corpus as Starlight pages under `docsDir`/faq (emptied first); returns the first slug. */
export function generateStarlightCorpus(docsDir, count) {
  const dir = join(docsDir, 'faq');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const entries = faqEntries(count);
  for (const entry of entries) {
    const frontmatter = ['---', `title: ${JSON.stringify(entry.question)}`, `description: ${JSON.stringify(`Aide pour ${entry.procedure}`)}`, '---', ''].join('\n');
    writeFileSync(join(dir, `${entry.slug}.md`), frontmatter + entry.body + '\n');
  }
  return entries[0].slug;
}
