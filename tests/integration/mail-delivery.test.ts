import { createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mailOutbox } from '../../db/schema';
import type { Db } from '../../src/lib/server/db';
import { retryDelay } from '../../src/lib/server/mail/outbox';
import { deliverDueMails, transportFromEnv } from '../../src/lib/server/mail/sender';
import { addAgentMessage, changeStatus, createRequest, submitDraft } from '../../src/lib/server/requests';
import { trackingTokenFor } from '../../src/lib/server/requests/tokens';
import { freshDatabase } from '../helpers/db';
import { completeDraft, resident, settings } from '../helpers/requests';
import { startSmtpServer } from '../helpers/smtp';

let db: Db;
let cleanup: () => void;
beforeEach(async () => {
  ({ db, cleanup } = await freshDatabase());
});
afterEach(() => cleanup());

const from = 'Val de Brenne <aide@example.org>';

/** A port nothing listens on (yet). */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('mail through the outbox to a real SMTP server', () => {
  it('delivers the acknowledgement with the private link, in text and HTML, in the resident’s language', async () => {
    const smtp = await startSmtpServer();
    try {
      const { token, draftId } = await completeDraft(db, { email: 'martine@example.org' });
      const sent = await submitDraft(db, draftId, token, 'fr', settings, Date.parse('2026-11-27T18:00:00Z'));
      if (!sent.ok) throw new Error('not sent');
      expect(await deliverDueMails(db, transportFromEnv({ SMTP_URL: smtp.url })!, { from })).toEqual({ sent: 1, failed: 0 });
      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0]!;
      const reference = `${sent.reference.slice(0, 3)}-${sent.reference.slice(3, 6)}-${sent.reference.slice(6)}`;
      expect(mail.subject).toBe(`Demande n°\u00a0${reference} reçue`);
      expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('martine@example.org');
      expect(mail.from?.text).toContain('aide@example.org');
      const link = `https://aide.example.org/suivi/${trackingTokenFor(token)}/`;
      expect(mail.text).toContain('Bonjour Martine Lefèvre,');
      expect(mail.text).toContain('Payer la cantine');
      // Sent on Friday after closing time: two working days counted from Monday.
      expect(mail.text).toContain('2 décembre 2026');
      expect(mail.text).toContain(link);
      expect(mail.html).toContain(`<a href="${link}">`);
      expect(mail.html).toContain('<html lang="fr">');
      // Once sent, the outbox keeps the mail without its secret link.
      const [row] = await db.select().from(mailOutbox);
      expect(row).toMatchObject({ status: 'sent', attempts: 1 });
      expect(row!.textBody).not.toContain(trackingTokenFor(token));
    } finally {
      await smtp.close();
    }
  });

  it('mails an agent’s reply and a status change in English to an English-speaking resident, and never an internal note', async () => {
    const smtp = await startSmtpServer();
    try {
      const { id } = await createRequest(db, { ...resident, locale: 'en', name: 'Amy Clarke', email: 'amy@example.org' }, settings, { notify: false });
      await addAgentMessage(db, { requestId: id, agentName: 'Sophie', body: 'Internal: check the bank', internal: true }, settings);
      await addAgentMessage(db, { requestId: id, agentName: 'Sophie', body: 'Which browser do you use?\nA screenshot would help.', internal: false }, settings);
      await changeStatus(db, id, 'resolved', 'Sophie', settings);
      await deliverDueMails(db, transportFromEnv({ SMTP_URL: smtp.url })!, { from });
      expect(smtp.received.map((m) => m.subject).sort()).toEqual([expect.stringMatching(/^Reply to your request no\. \d{3}-\d{3}-\d{3}$/), expect.stringMatching(/^The status of your request no\./)].sort());
      const reply = smtp.received.find((m) => m.subject?.startsWith('Reply'))!;
      expect(reply.text).toContain('Sophie, from the support service, replied');
      expect(reply.text).toContain('> Which browser do you use?\n> A screenshot would help.');
      expect(reply.text).toMatch(/https:\/\/aide\.example\.org\/en\/track\/[a-z2-7]{52}\//);
      expect(reply.html).toContain('<blockquote');
      expect(smtp.received.map((m) => `${m.text}${m.html}`).join('')).not.toContain('check the bank');
    } finally {
      await smtp.close();
    }
  });

  it('keeps a mail in the outbox while the SMTP server is down, and delivers it when it is back', async () => {
    const port = await freePort();
    const transport = transportFromEnv({ SMTP_URL: `smtp://127.0.0.1:${port}` })!;
    await createRequest(db, resident, settings);
    const now = Date.now();
    expect(await deliverDueMails(db, transport, { from, now })).toEqual({ sent: 0, failed: 1 });
    const [failed] = await db.select().from(mailOutbox);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lockedUntil: null });
    expect(failed!.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(now + retryDelay(1) - 1000);
    // Not due yet: nothing is tried again before the delay.
    expect(await deliverDueMails(db, transport, { from, now: now + 1000 })).toEqual({ sent: 0, failed: 0 });

    const smtp = await startSmtpServer(port);
    try {
      expect(await deliverDueMails(db, transport, { from, now: now + retryDelay(1) + 1000 })).toEqual({ sent: 1, failed: 0 });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.subject).toMatch(/^Demande n°\u00a0\d{3}-\d{3}-\d{3} reçue$/);
      const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, failed!.id));
      expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    } finally {
      await smtp.close();
    }
  });

  it('waits longer after each failure, up to an hour, and never gives up', () => {
    expect([1, 2, 3, 4, 10, 50].map(retryDelay)).toEqual([60_000, 120_000, 240_000, 480_000, 3_600_000, 3_600_000]);
  });
});
