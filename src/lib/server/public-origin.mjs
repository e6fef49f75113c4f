// The portal's public address, shared by the server (src/lib/server) and the scripts that
// build links outside it (scripts/agent-create.mjs, scripts/serve.mjs).

/**
 * The public address from PUBLIC_ORIGIN, read when called (at run time, not only at build):
 * every link that leaves the site (in a mail, a printed slip, a survey's address) is built from
 * it, never from the request's Host or X-Forwarded-Host headers, which anyone can set. Without
 * it, the address the server listens on (HOST and PORT, http://localhost:4321 by default), which
 * is right for the demo on one's own machine.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {string} an origin such as `https://aide.ville.fr`
 */
export function publicOrigin(env = process.env) {
  const configured = env.PUBLIC_ORIGIN?.trim();
  if (configured) return new URL(configured).origin;
  const host = !env.HOST || env.HOST === '0.0.0.0' || env.HOST === '::' ? 'localhost' : env.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${env.PORT || 4321}`;
}

/**
 * What is wrong with PUBLIC_ORIGIN, said so that whoever installs the portal can fix it; or
 * undefined when it is unset or usable.
 * @param {NodeJS.ProcessEnv} [env]
 */
export function publicOriginProblem(env = process.env) {
  const configured = env.PUBLIC_ORIGIN?.trim();
  if (!configured) return undefined;
  let url;
  try {
    url = new URL(configured);
  } catch {
    return `PUBLIC_ORIGIN is not an address: "${configured}" (expected e.g. https://aide.ville.fr)`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `PUBLIC_ORIGIN must start with https:// or http://, not ${url.protocol}`;
  if (url.pathname !== '/' || url.search || url.hash) return `PUBLIC_ORIGIN is the site's address alone, without a path: ${url.origin}`;
  return undefined;
}
