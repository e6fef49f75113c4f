import type { APIRoute } from 'astro';
import { can } from '../../../../../lib/server/auth/permissions';
import { getDb } from '../../../../../lib/server/db';
import { fileResponse, notFound } from '../../../../../lib/server/requests/download';
import { findAgentAttachment, findRequestIdByReference } from '../../../../../lib/server/workspace/requests';

export const prerender = false;

/** A request's file for an agent, internal ones included; nobody else gets anything here. */
export const GET: APIRoute = async ({ params, locals, redirect, url }) => {
  if (!locals.agent) return redirect(`/agent/connexion/?retour=${encodeURIComponent(url.pathname)}`, 303);
  if (!can(locals.agent, 'request:read')) return new Response(null, { status: 403 });
  const db = await getDb();
  const requestId = await findRequestIdByReference(db, params.reference ?? '');
  const id = Number(params.id);
  if (!requestId || !Number.isInteger(id) || id <= 0) return notFound();
  const file = await findAgentAttachment(db, requestId, id);
  return file ? fileResponse(file) : notFound();
};
