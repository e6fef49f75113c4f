// @ts-check
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';
import contentChecks from './src/integrations/content-checks.ts';
import pagefind from './src/integrations/pagefind.ts';

// Behind a reverse proxy, PUBLIC_ORIGIN names the public address: requests for that host may
// then use the proxy's X-Forwarded-* headers (client address for rate limits, https for the
// origin check of form posts and for secure cookies).
const publicOrigin = process.env.PUBLIC_ORIGIN ? new URL(process.env.PUBLIC_ORIGIN) : undefined;

export default defineConfig({
  site: publicOrigin?.origin ?? 'http://localhost:4321',
  output: 'static',
  // The largest legitimate body is a request's five 10 MB attachments; larger ones are cut off.
  adapter: node({ mode: 'standalone', bodySizeLimit: 52 * 1024 * 1024 }),
  outDir: process.env.GUICHET_OUT_DIR || './dist',
  trailingSlash: 'always',
  // One request per page on a weak connection: the stylesheet (about 2 KB compressed) is
  // inlined rather than fetched, since the standalone server cannot mark it immutable.
  build: { inlineStylesheets: 'always' },
  integrations: [contentChecks(), pagefind()],
  security: {
    checkOrigin: true,
    allowedDomains: publicOrigin
      ? [{ hostname: publicOrigin.hostname, protocol: publicOrigin.protocol.replace(':', ''), ...(publicOrigin.port ? { port: publicOrigin.port } : {}) }]
      : [],
    // Five 10 MB files and the form around them. Actions that take no files are held to
    // 64 KB by src/middleware.ts; either way a larger body gets a clear page.
    actionBodySizeLimit: 51 * 1024 * 1024,
  },
  server: { host: process.env.HOST || 'localhost', port: Number(process.env.PORT) || 4321 },
  devToolbar: { enabled: false },
});
