import type { AstroIntegration } from 'astro';
import { contentDir } from '../lib/content-paths';
import { assertContentLinks } from '../lib/content-links';
import { assertContentFolder } from '../lib/server/help/check-files';

/**
 * Checks the content folder (the seed of the help content, and what `npm run content:import`
 * brings in) as an import would: the fields of every entry, its topic, its images and its
 * internal links. A problem stops the build, naming the file, the field and what to change.
 */
export default function contentChecks(): AstroIntegration {
  return {
    name: 'guichet:content-checks',
    hooks: {
      // Runs before every build, `astro sync` (npm run content:check) and the dev server.
      'astro:config:setup': ({ logger }) => {
        const entries = assertContentFolder(contentDir());
        const pages = assertContentLinks();
        logger.info(`${entries} help entries and ${pages} markdown files checked`);
      },
    },
  };
}
