// A real SMTP server for the browser tests: every mail the portal sends is parsed and written
// as JSON into GUICHET_E2E_MAIL, where the tests read it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSmtpServer } from '../helpers/smtp.ts';

const dir = process.env.GUICHET_E2E_MAIL;
if (!dir) throw new Error('GUICHET_E2E_MAIL must name the folder where mails are written');
mkdirSync(dir, { recursive: true });
let count = 0;
const server = await startSmtpServer(Number(process.env.E2E_SMTP_PORT ?? 4325), (mail) => {
  count += 1;
  const to = [mail.to].flat().flatMap((a) => a?.value ?? []).map((a) => a.address);
  writeFileSync(join(dir, `${Date.now()}-${count}.json`), JSON.stringify({ to, subject: mail.subject, text: mail.text, html: mail.html }));
});
console.log(`SMTP sink on ${server.port}, writing to ${dir}`);
