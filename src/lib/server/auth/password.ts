import { hash, verify } from '@node-rs/argon2';

/** OWASP's argon2id baseline (19 MiB, 2 passes): about 50 ms here. */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export const hashPassword = (password: string) => hash(password, OPTIONS);

/** A hash of nothing anyone knows: verifying against it costs what a real check costs. */
let decoy: Promise<string> | undefined;

/**
 * Checks a password against a stored hash; without one (unknown account, invitation not yet
 * accepted) it still does the same work, so the answer takes as long either way.
 */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    decoy ??= hashPassword(crypto.randomUUID());
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

export type PasswordProblem = 'auth.errors.passwordTooShort' | 'auth.errors.passwordTooLong' | 'auth.errors.passwordIsEmail';

/** Length is what makes a password strong; it must not be the address either. */
export function passwordProblem(password: string, email: string): PasswordProblem | undefined {
  if ([...password].length < PASSWORD_MIN) return 'auth.errors.passwordTooShort';
  if (password.length > PASSWORD_MAX) return 'auth.errors.passwordTooLong';
  if (password.trim().toLowerCase() === email.toLowerCase()) return 'auth.errors.passwordIsEmail';
  return undefined;
}
