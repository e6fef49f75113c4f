import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { setPasswordWithToken, signIn } from '../../src/lib/server/auth/agents';
import { type Db, openDb } from '../../src/lib/server/db';

let dir: string;
let db: Db | undefined;
afterEach(() => {
  db?.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const createAgent = (url: string, ...args: string[]) =>
  spawnSync(process.execPath, ['scripts/agent-create.mjs', ...args], { env: { ...process.env, DATABASE_URL: url, PUBLIC_ORIGIN: 'https://aide.example.fr' }, encoding: 'utf8' });

it('the first administrator is created from the command line, with a one-time link and no password anywhere', () => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-cli-'));
  const url = `file:${join(dir, 'fresh.db')}`;
  const run = createAgent(url, '--email', 'Claire.Martin@Mairie.fr', '--name', 'Claire Martin', '--admin');
  expect(run.status, run.stderr).toBe(0);
  const link = /https:\/\/aide\.example\.fr\/agent\/mot-de-passe\/([a-z2-7]{52})\//.exec(run.stdout);
  expect(link).not.toBeNull();
  return (async () => {
    db = openDb(url);
    const [agent] = await db.query.agents.findMany();
    expect(agent).toMatchObject({ email: 'claire.martin@mairie.fr', role: 'admin', passwordHash: null });
    expect(await signIn(db, 'claire.martin@mairie.fr', '', '10.0.0.1')).toEqual({ ok: false, reason: 'invalid' });
    expect(await setPasswordWithToken(db, link![1]!, 'une phrase de passe solide')).toMatchObject({ ok: true });
    expect((await signIn(db, 'claire.martin@mairie.fr', 'une phrase de passe solide', '10.0.0.1')).ok).toBe(true);
    // Run again for the same address: a new link, the same account.
    const again = createAgent(url, '--email', 'claire.martin@mairie.fr');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('already exists');
    expect(await db.query.agents.findMany()).toHaveLength(1);
    expect(createAgent(url, '--email', 'not-an-address').status).toBe(2);
  })();
});
