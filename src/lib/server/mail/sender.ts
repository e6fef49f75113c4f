import nodemailer from 'nodemailer';
import type { Db } from '../db';
import { claimDueMails, markFailed, markSent } from './outbox';

export interface MailTransport {
  sendMail(message: { from: string; to: string; subject: string; text: string; html: string; messageId?: string; replyTo?: string; headers?: Record<string, string> }): Promise<unknown>;
}

/** The SMTP transport named by `SMTP_URL` (e.g. `smtp://user:pass@mail.example.org:587`), if any. */
export function transportFromEnv(env: NodeJS.ProcessEnv = process.env): MailTransport | undefined {
  const url = env.SMTP_URL?.trim();
  if (!url) return undefined;
  // Short timeouts: a mail server that does not answer must not hold a worker for minutes.
  return nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never) as MailTransport;
}

export const mailFrom = (env: NodeJS.ProcessEnv = process.env) => env.MAIL_FROM?.trim() || 'Guichet <ne-pas-repondre@localhost>';

/** Sends what is due; a failure leaves the mail in the outbox for a later try. Returns counts. */
export async function deliverDueMails(db: Db, transport: MailTransport, options: { from?: string; now?: number; limit?: number } = {}) {
  const now = options.now ?? Date.now();
  const from = options.from ?? mailFrom();
  let sent = 0;
  let failed = 0;
  for (const mail of await claimDueMails(db, now, options.limit)) {
    try {
      await transport.sendMail({
        from,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody,
        html: mail.htmlBody,
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        // RFC 3834: sent by a program, so that the resident's out-of-office does not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      await markSent(db, mail, Date.now());
      sent += 1;
    } catch (error) {
      await markFailed(db, mail.id, mail.attempts, error instanceof Error ? error.message : String(error), Date.now());
      failed += 1;
    }
  }
  return { sent, failed };
}

let timer: ReturnType<typeof setInterval> | undefined;
let running: Promise<unknown> | undefined;

/**
 * Starts delivering the outbox from this server process (every 15 s, and at once when
 * `kickMailWorker` is called after a mail is queued). Without SMTP_URL mail stays queued.
 */
let started = false;

export function startMailWorker(getDb: () => Promise<Db>, env: NodeJS.ProcessEnv = process.env) {
  // Called on every request: decided once per process.
  if (started) return;
  started = true;
  const transport = transportFromEnv(env);
  if (!transport) return;
  const tick = () => {
    running ??= getDb()
      .then((db) => deliverDueMails(db, transport))
      .catch((error: unknown) => console.error('Mail delivery failed:', error instanceof Error ? error.message : error))
      .finally(() => (running = undefined));
  };
  timer = setInterval(tick, 15_000);
  timer.unref();
  kick = tick;
  tick();
}

let kick: (() => void) | undefined;
/** Delivers queued mail now rather than at the next tick. */
export const kickMailWorker = () => kick?.();
