/**
 * The accounts demo mode creates, shown on the sign-in page while demo mode is on. They exist
 * only in a database seeded with GUICHET_DEMO=1; a real installation starts with no account
 * at all (see `npm run agent:create`).
 */
export const DEMO_PASSWORD = 'demo-guichet-2026';

export const DEMO_ACCOUNTS = [
  { email: 'admin.demo@example.org', name: 'Claire Admin (démo)', role: 'admin', password: DEMO_PASSWORD },
  { email: 'sophie.demo@example.org', name: 'Sophie (accueil)', role: 'agent', password: DEMO_PASSWORD },
  { email: 'julien.demo@example.org', name: 'Julien (service numérique)', role: 'agent', password: DEMO_PASSWORD },
] as const;
