// @ts-check
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';
import contentChecks from './src/integrations/content-checks.ts';
import { baseThemeCss } from './src/lib/display-settings.ts';

// Behind a reverse proxy, PUBLIC_ORIGIN names the public address: requests for that host may
// then use the proxy's X-Forwarded-* headers (client address for rate limits, https for the
// origin check of form posts and for secure cookies).
const publicOrigin = process.env.PUBLIC_ORIGIN ? new URL(process.env.PUBLIC_ORIGIN) : undefined;

// Every page inlines the authority's colours (content/authority.json, read at build): the
// Content-Security-Policy allows that one style by its hash.
const themeCss = baseThemeCss(JSON.parse(readFileSync(new URL('./content/authority.json', import.meta.url), 'utf8')).colors);
const themeHash = /** @type {`sha256-${string}`} */ (`sha256-${createHash('sha256').update(themeCss).digest('base64')}`);

export default defineConfig({
  site: publicOrigin?.origin ?? 'http://localhost:4321',
  output: 'static',
  // The largest legitimate body is a request's five 10 MB attachments; larger ones are cut off.
  // staticHeaders: prerendered pages get their Content-Security-Policy as an HTTP header too
  // (not a meta element, which cannot say frame-ancestors).
  adapter: node({ mode: 'standalone', bodySizeLimit: 52 * 1024 * 1024, staticHeaders: true }),
  outDir: process.env.GUICHET_OUT_DIR || './dist',
  trailingSlash: 'always',
  // One request per page on a weak connection: the stylesheet (about 2 KB compressed) is
  // inlined rather than fetched, since the standalone server cannot mark it immutable.
  build: { inlineStylesheets: 'always' },
  integrations: [contentChecks()],
  // Help pages are rendered on demand from the published content and kept here until a
  // publish names them (src/lib/server/help/page-cache.ts).
  cache: { provider: { name: 'guichet-help-pages', entrypoint: fileURLToPath(new URL('./src/lib/server/help/page-cache.ts', import.meta.url)) } },
  security: {
    checkOrigin: true,
    allowedDomains: publicOrigin
      ? [{ hostname: publicOrigin.hostname, protocol: publicOrigin.protocol.replace(':', ''), ...(publicOrigin.port ? { port: publicOrigin.port } : {}) }]
      : [],
    // Five 10 MB files and the form around them. Actions that take no files are held to
    // 64 KB by src/middleware.ts; either way a larger body gets a clear page.
    actionBodySizeLimit: 51 * 1024 * 1024,
    // Scripts and styles are Astro's own, allowed by their hashes; nothing from another site.
    // Pagefind needs its WebAssembly ('wasm-unsafe-eval') and its worker (a file of this site).
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ],
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      styleDirective: { resources: ["'self'"], hashes: [themeHash] },
    },
  },
  server: { host: process.env.HOST || 'localhost', port: Number(process.env.PORT) || 4321 },
  devToolbar: { enabled: false },
  // Code in the help content stays plain: Shiki's colours are inline styles, which the
  // Content-Security-Policy refuses.
  markdown: { syntaxHighlight: false },
  // Drizzle is bundled into the server's code rather than loaded from node_modules: Node reads
  // its 180 KB package.json again for each of the hundreds of files it would load, which made
  // a new worker's first request take about a second.
  vite: { ssr: { noExternal: ['drizzle-orm'] } },
});
