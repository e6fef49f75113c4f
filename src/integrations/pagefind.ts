import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { close, createIndex } from 'pagefind';

/** The HTML files under `dir`, as paths relative to it. */
async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/**
 * Builds the Pagefind index over the prerendered pages once the build is done. Only
 * elements marked `data-pagefind-body` (help content) are indexed, so nothing private is.
 * Pagefind reads each page's `lang` and writes one index per language.
 *
 * Pagefind splits words at a straight apostrophe but not at a typographic one, which French
 * text uses throughout: "l’école", "d’écran" would be single words that no search finds. The
 * pages are indexed with straight apostrophes (the files on disk keep theirs; excerpts get
 * theirs back in src/lib/search/excerpt.ts).
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
          let pages = 0;
          for (const file of await htmlFiles(site)) {
            const html = await readFile(join(site, file), 'utf8');
            if (!html.includes('data-pagefind-body')) continue;
            const url = `/${file.split(sep).join('/')}`.replace(/index\.html$/, '');
            const added = await index.addHTMLFile({ url, content: html.replaceAll('’', "'") });
            if (added.errors.length > 0) throw new Error(`pagefind could not index ${file}: ${added.errors.join('; ')}`);
            pages += 1;
          }
          const written = await index.writeFiles({ outputPath: `${site}/pagefind` });
          if (written.errors.length > 0) throw new Error(`pagefind could not write its index: ${written.errors.join('; ')}`);
          logger.info(`indexed ${pages} pages in ${Math.round(performance.now() - started)} ms`);
        } finally {
          await close();
        }
      },
    },
  };
}
