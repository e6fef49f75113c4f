/**
 * A real IMAP server for the tests (hoodiecrow-imap: an IMAP4rev1 server in Node, speaking the
 * protocol over TCP, with its mailboxes in memory), and a client that delivers messages to it
 * with APPEND, as a mail server's delivery agent would.
 */
import { createRequire } from 'node:module';
import type { AddressInfo, Server, Socket } from 'node:net';
import { ImapFlow } from 'imapflow';

interface Hoodiecrow {
  server: Server;
  listen(port: number, host: string, callback: () => void): void;
  getCommandHandler(command: string): CommandHandler;
  setCommandHandler(command: string, handler: CommandHandler): void;
}
type CommandHandler = (connection: { socket: Socket | null }, parsed: unknown, data: unknown, callback: () => void) => void;

const require = createRequire(import.meta.url);
const hoodiecrow = require('hoodiecrow-imap') as (options: object) => Hoodiecrow;

export const MAILBOX = { user: 'aide@mairie.example.org', pass: 'boîte-secrète' };

export interface ImapServer {
  port: number;
  /** Delivers raw messages to the inbox, in order (`seen`: already read by someone). */
  deliver(raw: string | Buffer | (string | Buffer)[], seen?: boolean): Promise<void>;
  /** The flags of each message of the inbox, by UID. */
  flags(): Promise<Map<number, string[]>>;
  /** The mailbox stops answering (connections refused), then comes back with what it held. */
  down(): Promise<void>;
  up(): Promise<void>;
  /** The connection that downloads the `nth` next message body is cut (a network failure mid-reading). */
  cutDuringDownload(nth: number): void;
  stop(): Promise<void>;
}

export async function startImapServer(): Promise<ImapServer> {
  const server = hoodiecrow({
    plugins: ['ID', 'IDLE', 'ENABLE', 'UNSELECT', 'UIDPLUS', 'SPECIAL-USE', 'LITERALPLUS', 'SASL-IR', 'AUTH-PLAIN'],
    users: { [MAILBOX.user]: { password: MAILBOX.pass } },
    storage: { INBOX: { messages: [] } },
  });
  const sockets = new Set<Socket>();
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  // Cutting the line mid-reading: the handler of UID FETCH destroys the socket instead of answering.
  const fetch = server.getCommandHandler('UID FETCH');
  let cutAt = 0;
  server.setCommandHandler('UID FETCH', (connection, parsed, data, callback) => {
    // The whole message (BODY[] or BODY.PEEK[], perhaps in parts), not its headers alone.
    if (cutAt > 0 && JSON.stringify(parsed).includes('"section":[]')) {
      cutAt -= 1;
      if (cutAt === 0) {
        connection.socket?.destroy();
        return;
      }
    }
    fetch(connection, parsed, data, callback);
  });

  const client = async <T>(work: (c: ImapFlow) => Promise<T>): Promise<T> => {
    const c = new ImapFlow({ host: '127.0.0.1', port, secure: false, doSTARTTLS: false, auth: MAILBOX, logger: false });
    c.on('error', () => undefined);
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };

  return {
    port,
    deliver: (raw, seen = false) =>
      client(async (c) => {
        for (const one of Array.isArray(raw) ? raw : [raw]) await c.append('INBOX', one, seen ? ['\\Seen'] : []);
      }),
    flags: () =>
      client(async (c) => {
        const lock = await c.getMailboxLock('INBOX');
        try {
          const flags = new Map<number, string[]>();
          for await (const m of c.fetch('1:*', { uid: true, flags: true })) flags.set(m.uid, [...(m.flags ?? [])]);
          return flags;
        } finally {
          lock.release();
        }
      }),
    down: async () => {
      await new Promise<void>((resolve) => {
        server.server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    up: () => new Promise<void>((resolve) => server.server.listen(port, '127.0.0.1', () => resolve())),
    cutDuringDownload: (nth) => {
      cutAt = nth;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (!server.server.listening) return resolve();
        server.server.close(() => resolve());
      }),
  };
}

/** A message as a resident's mail program writes it. */
export function message(parts: {
  from: string;
  to?: string;
  subject: string;
  text: string;
  messageId?: string;
  inReplyTo?: string;
  headers?: Record<string, string>;
  attachments?: { fileName: string; contentType: string; data: Buffer; inline?: boolean }[];
}): string {
  const boundary = `----=_Part_${Math.abs(hash(parts.subject + parts.text))}`;
  const head = [
    `From: ${parts.from}`,
    `To: ${parts.to ?? MAILBOX.user}`,
    `Subject: =?UTF-8?B?${Buffer.from(parts.subject).toString('base64')}?=`,
    'Date: Tue, 01 Dec 2026 09:30:00 +0100',
    `Message-ID: ${parts.messageId ?? `<${Math.abs(hash(parts.from + parts.subject + parts.text))}@mail.example.net>`}`,
    ...(parts.inReplyTo ? [`In-Reply-To: ${parts.inReplyTo}`, `References: ${parts.inReplyTo}`] : []),
    ...Object.entries(parts.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    'MIME-Version: 1.0',
  ];
  const text = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', Buffer.from(parts.text).toString('base64').replace(/.{76}/g, '$&\r\n')];
  if (!parts.attachments?.length) return [...head, ...text].join('\r\n') + '\r\n';
  const body = [
    ...head,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    ...text,
    ...parts.attachments.flatMap((a) => [
      `--${boundary}`,
      `Content-Type: ${a.contentType}; name="${a.fileName}"`,
      `Content-Disposition: ${a.inline ? 'inline' : 'attachment'}; filename="${a.fileName}"`,
      'Content-Transfer-Encoding: base64',
      '',
      a.data.toString('base64').replace(/.{76}/g, '$&\r\n'),
    ]),
    `--${boundary}--`,
    '',
  ];
  return body.join('\r\n');
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (Math.imul(31, h) + c.charCodeAt(0)) | 0;
  return h;
}

/** A small but real PDF (one page), as a scanner would produce. */
export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
