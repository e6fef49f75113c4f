// Another process on a server's database (tests/e2e/chat-writer.ts), writing through the
// portal's own modules as the workspace and the tracking page do; the chat specs drive it
// one JSON command per line.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export function chatWriter(dbFile: string) {
  const child: ChildProcessWithoutNullStreams = spawn('node_modules/.bin/tsx', ['tests/e2e/chat-writer.ts', dbFile]);
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const call = async <T>(command: Record<string, unknown>): Promise<T> => {
    child.stdin.write(`${JSON.stringify(command)}\n`);
    const { value, done } = await answers.next();
    if (done) throw new Error(`the writer stopped: ${errors}`);
    const answer = JSON.parse(value) as { ok: boolean; result: T; error?: string };
    if (!answer.ok) throw new Error(answer.error);
    return answer.result;
  };
  return {
    request: () => call<{ id: number; token: string }>({ do: 'request' }),
    chat: (requestId: number, state: 'waiting' | 'active') => call({ do: 'chat', requestId, state }),
    agent: (requestId: number, body: string, internal = false) => call({ do: 'agent', requestId, body, internal }),
    reply: (requestId: number, body: string) => call({ do: 'reply', requestId, body }),
    /** The authority's hours: open all day every day (public holidays too), or closed for days. */
    hours: (open: boolean) => call({ do: 'hours', open }),
    /** The chat at a private link started `minutes` earlier (a long wait without waiting). */
    age: (token: string, minutes: number) => call({ do: 'age', token, minutes }),
    close: () => child.stdin.end(),
  };
}
