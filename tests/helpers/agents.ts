import { agents } from '../../db/schema';
import { hashPassword } from '../../src/lib/server/auth/password';
import type { Db } from '../../src/lib/server/db';

export const PASSWORD = 'correct horse battery';

/** An active account with a password, straight into the database. */
export async function addAgent(db: Db, email: string, role: 'agent' | 'admin' = 'agent', name = email.split('@')[0]!) {
  const now = new Date();
  const [row] = await db
    .insert(agents)
    .values({ email, name, role, passwordHash: await hashPassword(PASSWORD), active: true, locale: 'fr', createdAt: now, updatedAt: now })
    .returning({ id: agents.id, name: agents.name, role: agents.role });
  return row!;
}
