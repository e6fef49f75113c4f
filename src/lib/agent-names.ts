/**
 * The name residents see for an agent: the public name the agent chose, or else the first word
 * of the name the team knows them by ("Sophie (accueil)" → "Sophie"), never the team's labels.
 */
export function publicAgentName(name: string, publicName?: string | null): string {
  const chosen = publicName?.trim();
  if (chosen) return chosen;
  return name.trim().split(/[\s(,;/]+/)[0] || name.trim();
}

/** The first word of a person's name ("Martine Dupont" → "Martine"), for a greeting. */
export const firstName = (name: string) => publicAgentName(name);
