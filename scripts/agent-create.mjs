// `npm run agent:create -- --email claire@mairie.fr [--name "Claire Martin"] [--admin] [--locale en]`
//
// Creates an agent account (the first administrator on a fresh install) and prints a one-time
// link, valid 7 days, where its holder chooses a password. No password is ever typed on the
// command line or stored in clear. Run again for an existing address: a new link is printed
// (a way back in for an administrator who lost their password and has no mail).
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { applyMigrations, createDatabaseClient, databaseUrl } from '../db/connection.mjs';
import { publicOrigin } from '../src/lib/server/public-origin.mjs';
import { drizzle } from 'drizzle-orm/libsql';

const INVITE_HOURS = 7 * 24;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 32 random bytes as 52 lower-case base32 characters, like the server's tokens. */
function generateToken() {
  const bytes = randomBytes(32);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

const { values } = parseArgs({
  options: { email: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean', default: false }, locale: { type: 'string', default: 'fr' } },
});
const email = values.email?.trim().toLowerCase();
if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
  console.error('Usage: npm run agent:create -- --email someone@example.fr [--name "First Last"] [--admin] [--locale fr|en]');
  process.exit(2);
}
const name = (values.name?.trim() || email.split('@')[0]).slice(0, 120);
const role = values.admin ? 'admin' : 'agent';
const locale = values.locale === 'en' ? 'en' : 'fr';

const client = createDatabaseClient(databaseUrl());
try {
  await applyMigrations(drizzle(client));
  const now = Date.now();
  const existing = await client.execute({ sql: 'select id, role, active from agents where email = ?', args: [email] });
  let agentId;
  if (existing.rows.length > 0) {
    agentId = Number(existing.rows[0].id);
    console.log(`An account already exists for ${email} (${existing.rows[0].role}${existing.rows[0].active ? '' : ', deactivated'}): here is a new link to choose its password.`);
  } else {
    const created = await client.execute({
      sql: 'insert into agents (email, name, role, password_hash, active, locale, created_at, updated_at) values (?, ?, ?, null, 1, ?, ?, ?) returning id',
      args: [email, name, role, locale, now, now],
    });
    agentId = Number(created.rows[0].id);
    await client.execute({ sql: 'insert into audit_log (at, agent_id, actor_name, action, details) values (?, null, ?, ?, ?)', args: [now, 'npm run agent:create', 'admin.agent.invite', JSON.stringify({ agent: email, role })] });
    console.log(`Account created: ${name} <${email}>, ${role}.`);
  }
  const token = generateToken();
  const tokenHash = createHash('sha256').update(token).digest('hex');
  await client.batch(
    [
      { sql: "delete from agent_tokens where agent_id = ? and purpose = 'invite'", args: [agentId] },
      { sql: "insert into agent_tokens (token_hash, agent_id, purpose, created_at, expires_at) values (?, ?, 'invite', ?, ?)", args: [tokenHash, agentId, now, now + INVITE_HOURS * 3_600_000] },
    ],
    'write',
  );
  const origin = publicOrigin();
  console.log(`\nOpen this link within 7 days to choose the password (it works once):\n\n  ${new URL(`/agent/mot-de-passe/${token}/`, origin).href}\n`);
} finally {
  client.close();
}
