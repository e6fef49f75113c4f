import type { APIRoute } from 'astro';
import { signInPath } from '../../../../lib/server/auth/guard';
import { can } from '../../../../lib/server/auth/permissions';
import { getDb } from '../../../../lib/server/db';
import { exportPerson, parseContact } from '../../../../lib/server/privacy';

export const prerender = false;

/** Everything held about one person, as a JSON file (right of access); the export is audit-logged. */
export const GET: APIRoute = async ({ locals, redirect, url }) => {
  if (!locals.agent) return redirect(signInPath(url), 303);
  if (!can(locals.agent, 'admin:privacy')) return new Response('Forbidden', { status: 403, headers: { 'Cache-Control': 'no-store' } });
  const contact = parseContact((url.searchParams.get('contact') ?? '').slice(0, 200));
  if (!contact) return new Response('Adresse e-mail ou numéro de téléphone invalide. / Invalid email address or phone number.', { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  const data = await exportPerson(await getDb(), locals.agent, contact);
  const body = JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? Number(value) : value), 2);
  return new Response(body, {
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="donnees-personnelles-${new Date().toISOString().slice(0, 10)}.json"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  });
};
