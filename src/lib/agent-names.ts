/** The first word of a person's name ("Martine Dupont" → "Martine", "Sophie (accueil)" → "Sophie"). */
export function firstName(name: string): string {
  return name.trim().split(/[\s(,;/]+/)[0] || name.trim();
}

/**
 * The name residents see for an agent: the public name the agent chose, or else the first word
 * of the name the team knows them by, never the team's labels.
 */
export const publicAgentName = (name: string, publicName?: string | null): string => publicName?.trim() || firstName(name);
