// A realistic helpdesk database for the server benchmarks: agents, requests spread over two
// years (most closed, the last weeks in every state), five messages each, and — for the
// reports — resolutions, satisfaction answers, article feedback and searches that found
// nothing. Deterministic, so that every run measures the same data. Rows go in through
// multi-row inserts; the full-text index is kept by the same triggers as in production.
import { hash } from '@node-rs/argon2';

let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = (list) => list[Math.floor(random() * list.length)];

export const PROCEDURES = ['Payer la cantine', 'Inscription à l’école', 'Espace famille', 'Demande d’acte de naissance', 'Réservation du centre de loisirs', 'Paiement de la facture d’eau', 'Inscription au transport scolaire', 'Demande de place en crèche', 'Carte de stationnement résident', 'Collecte des encombrants'];
/** How requests arrive (out of 20): 12 online, 4 by phone, 2 at the counter, 1 by mail, 1 through a partner; from the id, so the random sequence stays as it was. */
const INTAKES = ['web', 'web', 'phone', 'web', 'counter', 'web', 'web', 'phone', 'web', 'email', 'web', 'phone', 'web', 'counter', 'web', 'web', 'phone', 'web', 'partner', 'web'];
const QUICK_CHANNELS = ['phone', 'phone', 'phone', 'counter', 'counter', 'letter', 'email', 'partner'];
export const CATEGORIES = ['sign-in', 'account', 'documents', 'payment', 'form-error', 'accessibility', 'no-device', 'other'];
const PHRASES = [
  'le paiement est refusé alors que ma carte fonctionne ailleurs',
  'je ne reçois pas le code de connexion par e-mail',
  'le site dit que le fichier est trop lourd',
  'la page se recharge et tout ce que j’ai écrit disparaît',
  'mon adresse e-mail est déjà utilisée mais je n’ai jamais créé de compte',
  'le calendrier ne se lit pas avec mon lecteur d’écran',
  'je n’ai pas d’ordinateur et mon téléphone est trop ancien',
  'l’arrêt de bus de mon fils n’apparaît pas dans la liste',
  'le justificatif de domicile est refusé au format PDF',
  'le lien pour changer mon mot de passe ne marche plus',
  'le bouton valider ne fait rien sur mon téléphone',
  'je ne trouve pas où télécharger la facture',
  'on me demande un numéro d’allocataire que je n’ai pas',
  'la réservation affiche une erreur technique',
];
const REPLIES = [
  'Bonjour, pouvez-vous nous envoyer une capture d’écran du message ?',
  'Merci, le problème venait du prestataire de paiement ; il est corrigé. Voyez https://aide.example.org/faq/carte-refusee/',
  'Nous vous rappelons demain matin pour faire la démarche ensemble.',
  'Essayez avec un autre navigateur, par exemple Firefox ou Chrome.',
  'Votre compte est débloqué, vous pouvez vous reconnecter.',
  'Le fichier doit faire moins de 10 Mo : https://aide.example.org/faq/fichier-trop-lourd/',
];
const FIRST = ['Martine', 'Karim', 'Jeanne', 'Lucas', 'Fatou', 'Henri', 'Emma', 'Paul', 'Yasmine', 'Odette', 'Louis', 'Chloé', 'Mohamed', 'Camille', 'Nathalie'];
const LAST = ['Lefèvre', 'Benali', 'Morel', 'Petit', 'Diallo', 'Gauthier', 'Robert', 'Garnier', 'Haddad', 'Marchand', 'Dubois', 'Lambert', 'Fontaine', 'Rousseau', 'Vincent'];
const ARTICLES = ['fr/carte-refusee', 'fr/fichier-trop-lourd', 'fr/code-sms-non-recu', 'fr/creer-un-compte', 'fr/compte-bloque', 'fr/facture-introuvable', 'en/card-refused', 'en/file-too-large'];
const SEARCHES = ['carte grise', 'quotient familial', 'piscine horaires', 'bourse collège', 'prélèvement cantine', 'permis de construire', 'déchetterie badge perdu', 'attestation employeur'];

export const AGENTS = 20;
export const BENCH_PASSWORD = 'mot de passe du banc d’essai';
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** One multi-row insert: far fewer statements to prepare than one per row. */
const insertRows = (table, columns, rows) => ({
  sql: `insert into ${table} (${columns.join(', ')}) values ${rows.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`,
  args: rows.flat(),
});

/**
 * Fills a migrated database through `client` (@libsql/client) and returns the requests'
 * references and how many messages were written. `evaluation` adds what the reports read.
 */
export async function fillDatabase(client, { requests: total, now = Date.now(), messagesPerRequest = 5, evaluation = false, progress = () => {} }) {
  const passwordHash = await hash(BENCH_PASSWORD, { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 });
  await client.batch(
    Array.from({ length: AGENTS }, (_, i) => ({
      sql: 'insert into agents (email, name, role, password_hash, active, locale, created_at, updated_at) values (?, ?, ?, ?, 1, ?, ?, ?)',
      args: [`agent${i}@bench.example`, `Agent ${i}`, i === 0 ? 'admin' : 'agent', passwordHash, 'fr', now, now],
    })),
    'write',
  );
  const BATCH = 1000;
  let messageCount = 0;
  const references = [];
  for (let start = 0; start < total; start += BATCH) {
    const people = [];
    const rows = [];
    const notes = [];
    const opinions = [];
    const links = [];
    for (let i = start; i < Math.min(total, start + BATCH); i += 1) {
      const id = i + 1;
      const created = now - Math.floor((1 - i / total) * 730 * DAY) - Math.floor(random() * DAY);
      const recent = created > now - 20 * DAY;
      const status = recent ? pick(['new', 'open', 'waiting', 'resolved', 'new', 'open']) : random() < 0.97 ? 'closed' : pick(['open', 'waiting', 'resolved']);
      const reference = String(100_000_000 + i * 7 + 3).slice(0, 9);
      references.push(reference);
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      const email = random() < 0.8 ? `${name.toLowerCase().replace(/[^a-z]/g, '.')}${i}@example.org` : null;
      const channel = email ? (random() < 0.85 ? 'email' : 'phone') : pick(['phone', 'in-person']);
      const description = `${pick(PHRASES)}. ${pick(PHRASES)} depuis ${pick(['hier', 'lundi', 'ce matin', 'une semaine'])}.`;
      const assignee = status === 'new' ? null : 1 + Math.floor(random() * AGENTS);
      const answered = status === 'new' ? null : created + HOUR * (1 + Math.floor(random() * 40));
      const resolved = status === 'resolved' || status === 'closed' ? answered + HOUR * Math.floor(random() * 200) : null;
      const kind = random() < 0.8 ? 'resident' : random() < 0.6 ? 'helper' : 'staff';
      people.push([id, kind, name, email, email ? null : '0612345678', kind === 'helper' ? 'Nadia Roussel' : null, kind === 'helper' ? 1 : null, kind === 'staff' ? 'Service enfance' : null, created]);
      rows.push([id, reference, id, kind, status, 'fr', pick(PROCEDURES), pick(CATEGORIES), description, channel, '[]', created, created, answered ?? created, created + 2 * DAY, created + 10 * DAY, answered, status === 'closed' ? resolved + DAY : null, resolved, random() < 0.1 ? 'high' : random() < 0.03 ? 'urgent' : 'normal', assignee, INTAKES[(id * 7) % INTAKES.length]]);
      for (let m = 0; m < messagesPerRequest; m += 1) {
        const fromAgent = m % 2 === 0;
        const internal = fromAgent && random() < 0.2;
        const messageId = messageCount + 1;
        const body = fromAgent ? pick(REPLIES) : `${pick(PHRASES)}, merci de votre aide.`;
        notes.push([messageId, id, fromAgent ? 'agent' : 'requester', fromAgent ? `Agent ${assignee ?? 1}` : name, fromAgent ? (assignee ?? 1) : null, 'web', internal ? 1 : 0, body, created + (m + 1) * HOUR]);
        // As the server does when an agent replies: the help pages linked, read once.
        const link = fromAgent && !internal ? /\/faq\/([a-z0-9-]+)\//.exec(body) : null;
        if (link) links.push([messageId, id, 'faq', `fr/${link[1]}`]);
        messageCount += 1;
      }
      if (evaluation && resolved && random() < 0.35) {
        const completed = random() < 0.7;
        opinions.push([id, pick(['good', 'good', 'good', 'average', 'bad']), completed ? 1 + Math.floor(random() * 5) : null, completed && random() < 0.2 ? 'Merci pour la réponse rapide.' : null, 'fr', resolved + HOUR, completed ? resolved + HOUR : null]);
      }
    }
    const halves = (list) => [0, 1].map((half) => list.slice((half * list.length) / 2, ((half + 1) * list.length) / 2)).filter((part) => part.length > 0);
    await client.batch(
      [
        insertRows('requesters', ['id', 'kind', 'name', 'email', 'phone', 'helper_name', 'person_agreed', 'staff_service', 'created_at'], people),
        insertRows('requests', ['id', 'reference', 'requester_id', 'requester_kind', 'status', 'locale', 'procedure', 'category', 'description', 'channel', 'needs', 'consent_at', 'created_at', 'updated_at', 'due_at', 'resolution_due_at', 'first_response_at', 'closed_at', 'resolved_at', 'priority', 'assignee_id', 'intake'], rows),
        ...halves(notes).map((part) => insertRows('messages', ['id', 'request_id', 'author', 'author_name', 'agent_id', 'channel', 'internal', 'body', 'created_at'], part)),
        ...(links.length > 0 ? [insertRows('message_links', ['message_id', 'request_id', 'collection', 'article_id'], links)] : []),
        ...(opinions.length > 0 ? [insertRows('satisfaction', ['request_id', 'level', 'clarity', 'comment', 'locale', 'created_at', 'completed_at'], opinions)] : []),
      ],
      'write',
    );
    progress(Math.min(total, start + BATCH));
  }
  if (evaluation) {
    // Readers' answers and searches over the same two years: half as many as requests, and a fifth.
    for (let start = 0; start < total / 2; start += BATCH) {
      const votes = [];
      const misses = [];
      for (let i = start; i < Math.min(total / 2, start + BATCH); i += 1) {
        const at = now - Math.floor(random() * 730 * DAY);
        const article = pick(ARTICLES);
        votes.push(['faq', article, article.slice(0, 2), random() < 0.7 ? 1 : 0, random() < 0.05 ? 'Il manque un exemple.' : null, at]);
        if (i % 2 === 0) {
          const query = pick(SEARCHES);
          misses.push([query, query.normalize('NFD').replace(/\p{M}+/gu, ''), 'fr', at]);
        }
      }
      // Questions settled on the spot, by phone and at the counter: as many as the requests' half again.
      const quick = votes.map(([, , , , , at], k) => [QUICK_CHANNELS[k % QUICK_CHANNELS.length], CATEGORIES[k % CATEGORIES.length], k % 3 === 0 ? PROCEDURES[k % PROCEDURES.length] : null, null, 1, at]);
      await client.batch(
        [
          insertRows('article_feedback', ['collection', 'article_id', 'locale', 'helpful', 'comment', 'created_at'], votes),
          insertRows('search_misses', ['query', 'normalized', 'locale', 'created_at'], misses),
          insertRows('quick_answers', ['channel', 'category', 'procedure', 'note', 'agent_id', 'created_at'], quick),
        ],
        'write',
      );
    }
  }
  return { references, messageCount };
}
