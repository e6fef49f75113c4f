/**
 * What a resident reads of a chat, the same on the page and in its stream: each message with
 * who wrote it and when in its text (a screen reader announces the whole line), and the chat's
 * state in words (waiting with its place and the wait to expect, in progress, gone on in writing).
 */
import { eq } from 'drizzle-orm';
import { agents, type MessageAuthor } from '../../../../db/schema';
import { type Locale, type Translate, useTranslations } from '../../../i18n';
import { publicAgentName } from '../../agent-names';
import type { ChatLine } from '../../chat-client';
import { systemMessageText } from '../../system-messages';
import type { Db } from '../db';
import { clockText } from '../requests/hours-text';
import { type ChatRow, placeInQueue } from './chats';

export type { ChatLine };

export function chatLine(locale: Locale, message: { id: number; author: MessageAuthor; authorName: string | null; publicName?: string | null; body: string; createdAt: Date }): ChatLine {
  const t = useTranslations(locale);
  const mine = message.author === 'requester';
  const agentName = message.author === 'agent' && message.authorName !== null ? (message.publicName ?? publicAgentName(message.authorName)) : null;
  const who = mine ? t('track.you') : message.author === 'system' ? t('chat.system') : agentName ? t('track.support', { name: agentName }) : t('track.supportAnonymous');
  return {
    id: message.id,
    mine,
    who,
    time: clockText(locale, message.createdAt),
    at: message.createdAt.toISOString(),
    body: message.author === 'system' ? systemMessageText(message.body, t, 'resident') : message.body,
  };
}

export interface ChatStatus {
  state: ChatRow['state'];
  /** The state in words, for the page's status line. */
  text: string;
  /** Waiting longer than the authority's setting: offer a call back or a written answer. */
  longWait: boolean;
}

/** The chat's state as the resident reads it. */
export async function chatStatus(db: Db, locale: Locale, chat: ChatRow, offerAfterMinutes: number, now: number = Date.now()): Promise<ChatStatus> {
  const t: Translate = useTranslations(locale);
  if (chat.state === 'waiting') {
    const place = await placeInQueue(db, chat);
    const position = place?.position ?? 1;
    const wait = place?.expectedMinutes ? t('chat.state.expected', { minutes: place.expectedMinutes }) : '';
    return { state: chat.state, text: [t('chat.state.waiting', { position }), wait].filter(Boolean).join(' '), longWait: now - chat.startedAt.getTime() >= offerAfterMinutes * 60_000 };
  }
  if (chat.state === 'active') {
    const [agent] = chat.agentId === null ? [] : await db.select({ name: agents.name, publicName: agents.publicName }).from(agents).where(eq(agents.id, chat.agentId));
    return { state: chat.state, text: t('chat.state.active', { name: agent ? publicAgentName(agent.name, agent.publicName) : t('track.supportAnonymous') }), longWait: false };
  }
  return { state: chat.state, text: t('chat.state.written'), longWait: false };
}
