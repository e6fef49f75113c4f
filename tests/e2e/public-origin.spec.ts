// Links that leave the site are built from the configured public address, never from the
// request: a forged Host or X-Forwarded-Host header must not put an attacker's address in a
// password-reset mail, a private link mail, or a page.
import { request as httpRequest } from 'node:http';
import { createClient } from '@libsql/client';
import { expect, test } from '@playwright/test';
import { DEMO_ADMIN, DEMO_PASSWORD } from './agent-helpers';
import { removeDatabase, startServerProcess } from './server-process';

const FOREIGN = 'attacker.example';

/** A request as a script sends it, with whatever Host it likes. */
function send(origin: string, path: string, options: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  const url = new URL(path, origin);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

test('a forged Host or X-Forwarded-Host never reaches a mail or a page', async () => {
  test.setTimeout(90_000);
  const dbFile = `${process.env.GUICHET_E2E_DB}.origin.db`;
  removeDatabase(dbFile);
  // The public address is not set: the server's own listening address is used.
  const server = await startServerProcess(dbFile, { GUICHET_DEMO: '1', PUBLIC_ORIGIN: '' });
  const db = createClient({ url: `file:${dbFile}`, timeout: 5000 });
  try {
    const forged: Record<string, string>[] = [
      { Host: FOREIGN, Origin: `http://${FOREIGN}` },
      { Host: new URL(server.origin).host, 'X-Forwarded-Host': FOREIGN, 'X-Forwarded-Proto': 'https', Origin: server.origin },
    ];
    for (const headers of forged) {
      const form = { 'Content-Type': 'application/x-www-form-urlencoded', ...headers };
      // Pages: the sign-in page (on demand), the home page (prerendered), the sitemap.
      for (const path of ['/agent/connexion/', '/', '/sitemap.xml', '/demande/']) {
        const page = await send(server.origin, path, { headers });
        expect(page.text, `${path} with ${JSON.stringify(headers)}`).not.toContain(FOREIGN);
      }
      // A password reset for the administrator.
      const reset = await send(server.origin, '/agent/mot-de-passe/?_action=agent.requestReset', { method: 'POST', body: new URLSearchParams({ email: DEMO_ADMIN }).toString(), headers: form });
      expect(reset.status, 'reset accepted').toBe(303);
      // "Send me my link again" for a resident's request.
      const known = (await db.execute("select r.reference, q.email from requests r join requesters q on q.id = r.requester_id where q.email is not null and r.status <> 'closed' order by r.id limit 1")).rows[0]!;
      const resend = await send(server.origin, '/suivi/?_action=request.resend', { method: 'POST', body: new URLSearchParams({ reference: String(known.reference), email: String(known.email) }).toString(), headers: form });
      // Accepted: the page says a link was sent, if the request is found.
      expect(resend.status, 'resend accepted').toBe(200);
      expect(resend.text).not.toContain('id="error-summary"');
      // Signing in still works, and its answer holds no foreign address either.
      const signIn = await send(server.origin, '/agent/connexion/?_action=agent.signIn', { method: 'POST', body: new URLSearchParams({ email: DEMO_ADMIN, password: DEMO_PASSWORD }).toString(), headers: form });
      expect(signIn.status).toBe(303);
      expect(JSON.stringify(signIn.headers)).not.toContain(FOREIGN);
    }
    const mails = (await db.execute("select kind, text_body, html_body from mail_outbox where kind in ('agent-reset', 'link')")).rows;
    expect(mails.filter((m) => m.kind === 'agent-reset')).toHaveLength(2);
    expect(mails.filter((m) => m.kind === 'link')).toHaveLength(2);
    for (const mail of mails) {
      const body = `${mail.text_body}\n${mail.html_body}`;
      expect(body).not.toContain(FOREIGN);
      expect(body).toContain(`${server.origin}/`);
    }
  } finally {
    db.close();
    server.signal('SIGTERM');
    await server.exited;
    removeDatabase(dbFile);
  }
});
