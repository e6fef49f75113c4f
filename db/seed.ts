/**
 * Demo data for `npm start` on an empty database (GUICHET_DEMO=1): thirty requests from the
 * last three weeks in every state, from residents, helpers and staff, answered by email,
 * phone or in person, some with replies and internal notes, so that the agents' workspace
 * has something to show, with satisfaction answers, article feedback, searches that found
 * nothing and a published evaluation survey for the reports, and a training path over the internal help. Addresses are on example.org; no
 * mail is queued.
 */
import { count, eq } from 'drizzle-orm';
import { hashPassword } from '../src/lib/server/auth/password';
import type { Db } from '../src/lib/server/db';
import { addAgentMessage, addRequesterReply, changeStatus, createRequest, type NewRequest, type RequestSettings } from '../src/lib/server/requests';
import { DEMO_ACCOUNTS } from './demo-accounts';
import { answerSatisfaction, completeSatisfaction } from '../src/lib/server/evaluation/satisfaction';
import { normalizeQuery } from '../src/lib/server/evaluation/search-misses';
import { changeSurveyStatus, createSurvey, findSurvey, submitSurveyResponse, templateQuestions } from '../src/lib/server/evaluation/surveys';
import { type AgentIntakeChannel, agents as agentAccounts, articleFeedback, quickAnswers, type RequestCategory, requests, type RequestStatus, savedReplies, searchMisses, trainingPaths, trainingSteps } from './schema';

const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const people = [
  ['Martine Lefèvre', 'martine.lefevre@example.org', '0612345678'],
  ['Karim Benali', 'karim.benali@example.org', '0698765432'],
  ['Jeanne Morel', undefined, '0380112233'],
  ['Lucas Petit', 'lucas.petit@example.org', undefined],
  ['Fatou Diallo', 'fatou.diallo@example.org', '0755443322'],
  ['Henri Gauthier', undefined, '0380445566'],
  ['Emma Robert', 'emma.robert@example.org', undefined],
  ['Paul Garnier', 'paul.garnier@example.org', '0611223344'],
  ['Yasmine Haddad', 'yasmine.haddad@example.org', undefined],
  ['Odette Marchand', undefined, '0380998877'],
] as const;

const situations: Pick<NewRequest, 'procedure' | 'category' | 'stage' | 'description'>[] = [
  { procedure: 'Payer la cantine', category: 'payment', stage: 'Au moment de payer par carte', description: 'Le paiement est refusé alors que ma carte fonctionne ailleurs. Le site affiche « transaction refusée » après le code reçu par SMS.' },
  { procedure: 'Inscription à l’école', category: 'documents', stage: 'Envoi du justificatif de domicile', description: 'Je n’arrive pas à envoyer ma facture d’électricité : le site dit que le fichier est trop lourd. C’est une photo prise avec mon téléphone.' },
  { procedure: 'Espace famille', category: 'sign-in', stage: 'Connexion', description: 'Je ne reçois pas le code de connexion par e-mail. J’ai regardé dans les courriers indésirables.' },
  { procedure: 'Demande d’acte de naissance', category: 'form-error', stage: 'Dernière page du formulaire', description: 'Quand je clique sur « Valider », la page se recharge et tout ce que j’ai écrit disparaît.' },
  { procedure: 'Espace famille', category: 'account', stage: 'Création du compte', description: 'Le site me dit que mon adresse e-mail est déjà utilisée, mais je n’ai jamais créé de compte.' },
  { procedure: 'Réservation du centre de loisirs', category: 'accessibility', stage: 'Choix des dates', description: 'Avec mon lecteur d’écran, je ne peux pas choisir les dates : le calendrier ne se lit pas au clavier.' },
  { procedure: 'Paiement de la facture d’eau', category: 'no-device', stage: undefined, description: 'Je n’ai pas d’ordinateur et mon téléphone est trop ancien. Comment payer ma facture ?' },
  { procedure: 'Inscription au transport scolaire', category: 'other', stage: 'Choix de l’arrêt', description: 'L’arrêt de bus de mon fils n’apparaît pas dans la liste.' },
  { procedure: 'Demande de place en crèche', category: 'documents', stage: 'Pièces justificatives', description: 'Le site refuse mon avis d’imposition en PDF, il dit « format non reconnu ».' },
  { procedure: 'Espace famille', category: 'sign-in', stage: 'Mot de passe oublié', description: 'Le lien pour changer mon mot de passe ne marche plus quand je clique dessus.' },
];

const statuses: RequestStatus[] = ['new', 'new', 'new', 'new', 'new', 'new', 'open', 'open', 'open', 'open', 'open', 'open', 'waiting', 'waiting', 'waiting', 'waiting', 'waiting', 'resolved', 'resolved', 'resolved', 'resolved', 'closed', 'closed', 'closed', 'closed', 'closed', 'open', 'new', 'waiting', 'closed'];
const places = ['france-services-brenne', 'mairie-brenne', 'mediatheque-saint-aubin'];

export const DEMO_SIZE = statuses.length;

/** Demo agents and saved replies, unless the database already has agents. */
export async function seedDemoAgents(db: Db, now: number = Date.now()): Promise<{ id: number; name: string }[]> {
  const [existing] = await db.select({ n: count() }).from(agentAccounts);
  if ((existing?.n ?? 0) > 0) return [];
  const passwordHash = await hashPassword(DEMO_ACCOUNTS[0].password);
  const created = await db
    .insert(agentAccounts)
    .values(DEMO_ACCOUNTS.map((a) => ({ email: a.email, name: a.name, role: a.role, passwordHash, active: true, locale: 'fr' as const, createdAt: new Date(now), updatedAt: new Date(now) })))
    .returning({ id: agentAccounts.id, name: agentAccounts.name });
  await db.insert(savedReplies).values([
    { title: 'Demander une capture d’écran', locale: 'fr', updatedAt: new Date(now), body: 'Bonjour {prénom},\n\nPour comprendre ce qui bloque dans votre demande {référence}, pouvez-vous nous envoyer une capture d’écran du message affiché ? Vous pouvez l’ajouter en répondant depuis le lien de votre demande.\n\nBien cordialement,\n{signature}' },
    { title: 'Proposer un rendez-vous', locale: 'fr', updatedAt: new Date(now), body: 'Bonjour {prénom},\n\nNous pouvons faire la démarche avec vous dans un lieu d’aide près de chez vous. Dites-nous quel jour vous convient le mieux.\n\nBien cordialement,\n{signature}' },
    { title: 'Ask for a screenshot', locale: 'en', updatedAt: new Date(now), body: 'Hello {first name},\n\nTo understand what is blocking you in request {reference}, could you send us a screenshot of the message on screen? You can add it by replying from the link of your request.\n\nKind regards,\n{signature}' },
  ]);
  return created;
}

/** Seeds the demo requests unless the database already holds requests. */
export async function seedDemo(db: Db, settings: RequestSettings, now: number = Date.now()): Promise<number> {
  const team = await seedDemoAgents(db, now);
  const [existing] = await db.select({ n: count() }).from(requests);
  if ((existing?.n ?? 0) > 0) return 0;
  const agents = team.length > 1 ? team.slice(1) : [{ id: undefined, name: 'Sophie (accueil)' }];
  for (const [i, status] of statuses.entries()) {
    const [name, email, phone] = people[i % people.length]!;
    const situation = situations[(i * 3) % situations.length]!;
    const who = i % 7 === 3 ? 'helper' : i % 11 === 5 ? 'staff' : 'resident';
    const channel = !email ? (i % 2 === 0 ? 'phone' : 'in-person') : i % 5 === 4 && phone ? 'phone' : 'email';
    // Older requests are further along; the newest ones are still waiting for a first answer.
    const created = now - (statuses.length - i) * 16 * 60 * 60 * 1000 - (i % 4) * 37 * 60 * 1000;
    const input: NewRequest = {
      ...situation,
      locale: i % 9 === 8 ? 'en' : 'fr',
      who,
      name,
      helperName: who === 'helper' ? 'Nadia Roussel' : undefined,
      helperOrganisation: who === 'helper' ? 'France Services de Brenne' : undefined,
      personAgreed: who === 'helper' ? true : undefined,
      staffService: who === 'staff' ? 'Service enfance' : undefined,
      channel,
      // People without email phoned or came to the counter; a few wrote or were sent by a partner.
      intake: !email ? (i % 2 === 0 ? 'phone' : 'counter') : i % 6 === 1 ? 'email' : i === 13 ? 'letter' : i === 19 ? 'partner' : 'web',
      email,
      phone,
      callbackSlots: channel === 'phone' ? ['weekday-morning'] : [],
      helpPlace: channel === 'in-person' ? places[i % places.length] : undefined,
      needs: i % 6 === 0 ? ['plain-language'] : i % 8 === 1 ? ['large-print', 'phone'] : [],
    };
    const files = i % 4 === 1 ? [{ fileName: 'capture-ecran.png', contentType: 'image/png' as const, size: PNG_1PX.byteLength, data: PNG_1PX }] : [];
    const { id } = await createRequest(db, input, settings, { now: created, notify: false, files });
    if (status === 'new') continue;
    const { id: agentId, name: agent } = agents[i % agents.length]!;
    const step = (n: number) => created + n * 2 * 60 * 60 * 1000;
    await changeStatus(db, id, 'open', agent, settings, step(1), false);
    if (agentId && i % 4 !== 2) await db.update(requests).set({ assigneeId: agentId }).where(eq(requests.id, id));
    if (i % 3 === 0) await addAgentMessage(db, { requestId: id, agentId, agentName: agent, body: 'Appeler le prestataire de paiement si cela se reproduit.', internal: true }, settings, step(1), false);
    if (status === 'open') continue;
    await addAgentMessage(
      db,
      { requestId: id, agentId, agentName: agent, body: 'Bonjour, pouvez-vous nous dire quel navigateur vous utilisez, et nous envoyer une capture d’écran du message ?', internal: false, status: 'waiting' },
      settings,
      step(2),
      false,
    );
    if (status === 'waiting') continue;
    await addRequesterReply(db, id, 'J’utilise Firefox sur mon téléphone. Le message dit « erreur 500 ».', [], step(3));
    const article = situation.category === 'documents' ? '/faq/fichier-trop-lourd/' : situation.category === 'payment' ? '/faq/carte-refusee/' : '/faq/code-sms-non-recu/';
    await addAgentMessage(db, { requestId: id, agentId, agentName: agent, body: `Merci. Le problème venait du site de paiement ; il est corrigé. Pouvez-vous réessayer ? Si cela se reproduit, cette page explique quoi faire : ${new URL(article, settings.origin).href}`, internal: false, status: 'resolved' }, settings, step(4), false);
    if (status === 'closed') await changeStatus(db, id, 'closed', agent, settings, step(5), false);
    // Most residents say how it went once their request is resolved.
    if (i % 5 !== 0) {
      await answerSatisfaction(db, id, (['good', 'good', 'average', 'good', 'bad'] as const)[i % 5]!, input.locale, step(6));
      await completeSatisfaction(db, id, { clarity: 2 + (i % 4), comment: i % 3 === 0 ? 'Réponse rapide, merci. J’ai pu payer.' : '' }, step(6));
    }
  }
  await seedDemoEvaluation(db, team[0]?.id ?? null, now);
  // A training path over the internal help of content/ (audience: staff).
  const [path] = await db.insert(trainingPaths).values({ title: 'Instruire les inscriptions à la cantine', description: 'Pour les agents de l’accueil et du service scolaire, avant l’ouverture des inscriptions en ligne.', createdBy: team[0]?.id ?? null, createdAt: new Date(now), updatedAt: new Date(now) }).returning({ id: trainingPaths.id });
  await db.insert(trainingSteps).values(
    ['tutorial:fr/agents-instruire-une-inscription-a-la-cantine', 'faq:fr/agents-code-d-activation-espace-famille', 'faq:fr/agents-enregistrer-un-paiement-par-cheque'].map((entryKey, k) => ({ pathId: path!.id, position: k + 1, entryKey })),
  );
  return statuses.length;
}

/** Article feedback, searches that found nothing and an evaluation survey with a few answers: the reports have something to show. */
async function seedDemoEvaluation(db: Db, adminId: number | null, now: number) {
  const hour = 60 * 60 * 1000;
  // Questions settled on the spot, on the phone and at the counter: counted beside the requests.
  const spot: [AgentIntakeChannel, RequestCategory, string | null][] = [
    ['phone', 'sign-in', 'Espace famille'], ['phone', 'payment', 'Payer la cantine'], ['counter', 'no-device', 'Paiement de la facture d’eau'],
    ['phone', 'account', 'Espace famille'], ['counter', 'documents', 'Inscription à l’école'], ['phone', 'sign-in', null],
    ['counter', 'payment', 'Payer la cantine'], ['partner', 'no-device', null], ['phone', 'form-error', 'Demande d’acte de naissance'],
    ['letter', 'other', null], ['phone', 'payment', 'Payer la cantine'], ['counter', 'sign-in', 'Espace famille'],
  ];
  await db.insert(quickAnswers).values(spot.map(([channel, category, procedure], k) => ({ channel, category, procedure, note: null, agentId: adminId, createdAt: new Date(now - (k + 1) * 29 * hour) })));
  const votes: [string, 'faq' | 'tutorials', 'fr' | 'en', number, number, string?][] = [
    ['fr/carte-refusee', 'faq', 'fr', 9, 1, 'Il manque le cas des cartes à autorisation systématique.'],
    ['fr/fichier-trop-lourd', 'faq', 'fr', 7, 3, 'Je n’ai pas compris comment réduire la taille de la photo sur mon téléphone.'],
    ['fr/code-sms-non-recu', 'faq', 'fr', 2, 5, 'Le code n’arrive toujours pas, la page ne dit pas qui appeler.'],
    ['fr/creer-un-compte', 'faq', 'fr', 4, 0],
    ['en/card-refused', 'faq', 'en', 2, 1],
  ];
  const feedback = votes.flatMap(([articleId, collection, locale, yes, no, comment]) =>
    Array.from({ length: yes + no }, (_, k) => ({ collection, articleId, locale, helpful: k < yes, comment: k === yes && comment ? comment : null, createdAt: new Date(now - (k + 1) * 17 * hour) })),
  );
  await db.insert(articleFeedback).values(feedback);
  const misses = [['attestation de quotient familial', 6], ['carte grise', 4], ['piscine horaires', 3], ['prélèvement automatique cantine', 2], ['bourse collège', 1]] as const;
  await db.insert(searchMisses).values(misses.flatMap(([query, times]) => Array.from({ length: times }, (_, k) => ({ query, normalized: normalizeQuery(query), locale: 'fr' as const, createdAt: new Date(now - (k + 1) * 29 * hour) }))));
  const surveyId = await createSurvey(
    db,
    { id: adminId, name: 'Démo' },
    { title: 'Le portail d’aide, six mois après', intro: 'Cinq questions sur le portail d’aide aux démarches en ligne. Cela prend deux minutes.', audience: 'agents', audienceDetail: 'Agents d’accueil et du service enfance', locale: 'fr' },
    templateQuestions('agents', 'fr'),
    now - 10 * 24 * hour,
  );
  await changeSurveyStatus(db, { id: adminId, name: 'Démo' }, surveyId, 'publish', now - 10 * 24 * hour);
  const survey = (await findSurvey(db, { id: surveyId }))!;
  const answers = [
    ['4', 'yes', '1', 'Le paiement de la cantine, toujours.', ''],
    ['5', 'yes', '0', '', 'Un tutoriel vidéo pour la création de compte.'],
    ['3', 'no', '1', 'Les pièces justificatives trop lourdes.', 'Plus de questions sur l’espace famille.'],
  ];
  for (const [k, values] of answers.entries()) {
    await submitSurveyResponse(db, survey, survey.questions.flatMap((q, j) => (values[j] ? [{ questionId: q.id, value: values[j]! }] : [])), now - (k + 1) * 24 * hour);
  }
}
