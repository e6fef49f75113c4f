// Another process on a server's database, writing as the workspace and the tracking page do
// (through the portal's own modules): the chat stream's tests drive it line by line on its
// standard input, one JSON command per line, and read one JSON answer per line.
//   tsx tests/e2e/chat-writer.ts data/some.db
import { createInterface } from 'node:readline';
import { eq } from 'drizzle-orm';
import { chats } from '../../db/schema';
import { saveWorkspaceSetting } from '../../src/lib/server/workspace/settings';
import { appendChatEvent } from '../../src/lib/server/chat/events';
import { openDb } from '../../src/lib/server/db';
import { addAgentMessage, addRequesterReply, createRequest, findRequestByToken } from '../../src/lib/server/requests';

const db = openDb(`file:${process.argv[2]}`);
const settings = { origin: 'http://127.0.0.1', authority: { name: 'Commune de test', phone: '01 23 45 67 89' }, answerWorkingDays: 2 };

type Command =
  | { do: 'request' }
  | { do: 'chat'; requestId: number; state: 'waiting' | 'active' }
  | { do: 'agent'; requestId: number; body: string; internal?: boolean }
  | { do: 'reply'; requestId: number; body: string }
  /** The authority's hours: open all day every day (public holidays too), or closed today and tomorrow. */
  | { do: 'hours'; open: boolean }
  /** The chat at a private link started `minutes` earlier than it did. */
  | { do: 'age'; token: string; minutes: number };

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function run(command: Command): Promise<unknown> {
  switch (command.do) {
    case 'request': {
      const created = await createRequest(db, { locale: 'fr', procedure: 'Payer la cantine', category: 'payment', description: 'Je n’arrive pas à payer.', who: 'resident', name: 'Martine Lefèvre', channel: 'email', email: 'martine@example.org', needs: [] }, settings, { notify: false });
      return { id: created.id, token: created.token };
    }
    case 'chat':
      await db.insert(chats).values({ requestId: command.requestId, state: command.state, startedAt: new Date() });
      return { event: await appendChatEvent(db, { requestId: command.requestId, kind: 'state' }) };
    case 'agent':
      return addAgentMessage(db, { requestId: command.requestId, agentName: 'Claire', body: command.body, internal: command.internal ?? false, status: 'open' }, settings, Date.now(), false);
    case 'reply':
      return addRequesterReply(db, command.requestId, command.body, []);
    case 'age': {
      const found = await findRequestByToken(db, command.token);
      if (!found.ok) throw new Error('no such link');
      const [chat] = await db.select().from(chats).where(eq(chats.requestId, found.request.id));
      await db.update(chats).set({ startedAt: new Date(chat!.startedAt.getTime() - command.minutes * 60_000) }).where(eq(chats.requestId, found.request.id));
      return {};
    }
    case 'hours':
      await saveWorkspaceSetting(
        db,
        'hours',
        command.open
          ? { week: Array.from({ length: 7 }, () => [['00:00', '24:00']]), area: 'none', closures: [] }
          : { week: Array.from({ length: 7 }, () => [['09:00', '17:00']]), area: 'none', closures: [{ from: day(-1), to: day(2), label: 'Inventaire' }] },
      );
      return {};
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  try {
    process.stdout.write(`${JSON.stringify({ ok: true, result: await run(JSON.parse(line) as Command) })}\n`);
  } catch (error) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: String(error) })}\n`);
  }
}
db.$client.close();
