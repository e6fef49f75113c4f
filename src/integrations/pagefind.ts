import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { close, createIndex } from 'pagefind';

/**
 * Builds the Pagefind index over the prerendered pages once the build is done. Only
 * elements marked `data-pagefind-body` (help content) are indexed, so nothing private is.
 * Pagefind reads each page's `lang` and writes one index per language.
 */
export default function pagefind(): AstroIntegration {
  let clientDir: URL | undefined;
  return {
    name: 'guichet:pagefind',
    hooks: {
      'astro:config:done': ({ config }) => {
        clientDir = config.build.client;
      },
      'astro:build:done': async ({ logger }) => {
        if (!clientDir) throw new Error('pagefind: the build output folder is unknown (astro:config:done did not run)');
        const site = fileURLToPath(clientDir);
        const started = performance.now();
        try {
          const { index, errors } = await createIndex({});
          if (!index) throw new Error(`pagefind could not start: ${errors.join('; ')}`);
          const added = await index.addDirectory({ path: site });
          if (added.errors.length > 0) throw new Error(`pagefind could not index ${site}: ${added.errors.join('; ')}`);
          const written = await index.writeFiles({ outputPath: `${site}/pagefind` });
          if (written.errors.length > 0) throw new Error(`pagefind could not write its index: ${written.errors.join('; ')}`);
          logger.info(`indexed ${added.page_count} pages in ${Math.round(performance.now() - started)} ms`);
        } finally {
          await close();
        }
      },
    },
  };
}
