/**
 * What the workspace's actions share: the outcome they answer with, reading and checking a
 * form's values, and the request a form is about.
 */
import { authority } from '../../lib/server/catalog';
import { type FormValues, hasControlCharacters, singleLineProblem } from '../../lib/request-form';
import { getDb } from '../../lib/server/db';
import { publicOrigin } from '../../lib/server/public-origin.mjs';
import { findRequestIdByReference } from '../../lib/server/workspace/requests';
import type { FormMessage } from '../request';

export type AgentOutcome =
  | { ok: true; next?: string; compose?: string; link?: string; saved?: boolean }
  | { ok: false; errors: FormMessage[] };

export const fail = (...errors: FormMessage[]): AgentOutcome => ({ ok: false, errors });

export const pick = <T extends string>(values: readonly T[], value: string): T | undefined => (values.includes(value as T) ? (value as T) : undefined);

export const id = (value: string) => (/^\d{1,9}$/.test(value) ? Number(value) : undefined);

export const requestPage = (reference: string, query = '') => `/agent/demandes/${reference}/${query}`;

/** Fields written on several lines; every other text field holds one line. */
const MULTILINE_FIELDS = new Set(['body', 'bodyEn', 'message', 'messageEn', 'intro', 'signature', 'results-comment-fr', 'results-comment-en']);

export function text(values: FormValues, name: string, max: number, required: boolean, label: string): { value: string } | { error: FormMessage } {
  const value = values.get(name).replace(/\r\n?/g, '\n').trim();
  if (required && value === '') return { error: { field: name, message: `agent.errors.${label}Required` } };
  if (value.length > max) return { error: { field: name, message: 'agent.errors.tooLong', params: { max, count: value.length } } };
  if (hasControlCharacters(values.get(name))) return { error: { field: name, message: 'request.errors.controlCharacters' } };
  const oneLine = MULTILINE_FIELDS.has(name) ? undefined : singleLineProblem(value);
  if (oneLine) return { error: { field: name, message: oneLine } };
  return { value };
}

export async function mailSettings() {
  const site = await authority();
  return { origin: publicOrigin(), authority: site.name };
}

/** The request an action is about, found by its reference in the form. */
export async function requestFrom(values: FormValues) {
  const reference = values.get('reference');
  const requestId = /^\d{9}$/.test(reference) ? await findRequestIdByReference(await getDb(), reference) : undefined;
  return requestId ? { requestId, reference } : undefined;
}

export const notFound = () => fail({ message: 'agent.errors.requestNotFound' });
