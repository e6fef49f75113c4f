// @ts-check
import node from '@astrojs/node';
import { defineConfig } from 'astro/config';
import contentChecks from './src/integrations/content-checks.ts';
import pagefind from './src/integrations/pagefind.ts';

export default defineConfig({
  site: process.env.PUBLIC_ORIGIN || 'http://localhost:4321',
  output: 'static',
  adapter: node({ mode: 'standalone' }),
  outDir: process.env.GUICHET_OUT_DIR || './dist',
  trailingSlash: 'always',
  integrations: [contentChecks(), pagefind()],
  security: { checkOrigin: true },
  server: { host: process.env.HOST || 'localhost', port: Number(process.env.PORT) || 4321 },
  devToolbar: { enabled: false },
});
