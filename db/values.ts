/**
 * The values the database allows for a request (states, categories, channels…) and the
 * limits of its fields: plain data, with no database code, so that the forms' rules in
 * src/lib/ (which may reach a browser) share them with the schema (./schema.ts re-exports them).
 */
export const REQUEST_STATUSES = ['new', 'open', 'waiting', 'resolved', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_CATEGORIES = ['sign-in', 'account', 'documents', 'payment', 'form-error', 'accessibility', 'no-device', 'other'] as const;
export type RequestCategory = (typeof REQUEST_CATEGORIES)[number];
export const REQUESTER_KINDS = ['resident', 'helper', 'staff'] as const;
export type RequesterKind = (typeof REQUESTER_KINDS)[number];
export const ANSWER_CHANNELS = ['email', 'phone', 'in-person'] as const;
export type AnswerChannel = (typeof ANSWER_CHANNELS)[number];
/**
 * How a request reached the authority: filed online by the resident, or taken by an agent from a
 * call, a visit to the counter, a letter, an e-mail received or a partner (a France Services
 * counter, a social worker). The reports count the whole support load per channel.
 */
export const INTAKE_CHANNELS = ['web', 'chat', 'phone', 'counter', 'letter', 'email', 'partner'] as const;
export type IntakeChannel = (typeof INTAKE_CHANNELS)[number];
/** Channels an agent files a request from, or answers a question on the spot from. */
export const AGENT_INTAKE_CHANNELS = ['phone', 'counter', 'letter', 'email', 'partner'] as const;
export type AgentIntakeChannel = (typeof AGENT_INTAKE_CHANNELS)[number];
export const QUICK_ANSWER_LIMITS = { note: 500 } as const;
export const MESSAGE_AUTHORS = ['requester', 'agent', 'system'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];
export const REQUEST_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type RequestPriority = (typeof REQUEST_PRIORITIES)[number];
/** How an agent's message reached the resident: written, or said on the phone or at the desk. */
export const MESSAGE_CHANNELS = ['web', 'phone', 'in-person'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
/**
 * A live chat's state: waiting for an agent, in progress with one, or moved to writing (the
 * resident left or asked to be answered in writing; the request goes on as any other).
 */
export const CHAT_STATES = ['waiting', 'active', 'written'] as const;
export type ChatState = (typeof CHAT_STATES)[number];
/** What a chat event says: a new message on the request, or a change of the chat's state. */
export const CHAT_EVENT_KINDS = ['message', 'state'] as const;
export type ChatEventKind = (typeof CHAT_EVENT_KINDS)[number];
/** How many chats an agent takes at once unless they choose otherwise, and the most they may. */
/**
 * Live chats: places per agent; a chat quiet this long goes on in writing (announced in its page;
 * nothing closes it on the resident); a waiting chat that nobody can take any more (the opening
 * hours ended, or every agent left) goes on in writing after this grace.
 */
export const CHAT_LIMITS = { defaultPlaces: 3, maxPlaces: 10, idleMinutes: 30, unansweredGraceMinutes: 2 } as const;
/** The needs a resident may state when starting a chat: another way to talk, handed to the agent. */
export const CHAT_NEEDS = ['sign-language', 'captions', 'other-language'] as const;
export const AGENT_ROLES = ['agent', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const REQUEST_LIMITS = {
  procedure: 200,
  stage: 200,
  description: 5000,
  message: 5000,
  name: 120,
  organisation: 160,
  email: 254,
  phone: 30,
  language: 80,
  fileName: 200,
  files: 5,
  fileBytes: 10 * 1024 * 1024,
} as const;

export const AGENT_QUEUE_DENSITIES = ['compact', 'comfortable'] as const;
export type AgentQueueDensity = (typeof AGENT_QUEUE_DENSITIES)[number];
export const AGENT_PROFILE_LIMITS = { publicName: 60, signature: 500 } as const;
