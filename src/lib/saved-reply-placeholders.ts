/**
 * The placeholders a saved reply may hold, in French or English ({prénom} or {first name}…),
 * filled in from the request and the agent when the reply is inserted. A placeholder that is
 * not known stays as written, for the agent to see and correct.
 */
export const PLACEHOLDERS = {
  firstName: ['prénom', 'prenom', 'first name', 'firstname'],
  reference: ['référence', 'reference'],
  link: ['lien', 'link'],
  agent: ['agent'],
  signature: ['signature'],
  deadline: ['délai', 'delai', 'deadline'],
} as const;

export type PlaceholderValues = Record<keyof typeof PLACEHOLDERS, string>;

const BY_NAME = new Map<string, keyof typeof PLACEHOLDERS>();
for (const [key, names] of Object.entries(PLACEHOLDERS)) for (const name of names) BY_NAME.set(name, key as keyof typeof PLACEHOLDERS);

export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(/\{([^{}\n]{1,20})\}/g, (whole, name: string) => {
    const key = BY_NAME.get(name.trim().toLowerCase());
    return key ? values[key] : whole;
  });
}
