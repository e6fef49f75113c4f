import type { AstroIntegration } from 'astro';
import { assertContentLinks } from '../lib/content-links';

/**
 * Checks what the content schemas cannot see: links written in markdown bodies. A link to a
 * page of the portal that does not exist stops the build, naming the file and the link.
 */
export default function contentChecks(): AstroIntegration {
  return {
    name: 'guichet:content-checks',
    hooks: {
      // Runs before every build, `astro sync` (npm run content:check) and the dev server.
      'astro:config:setup': ({ logger }) => {
        const count = assertContentLinks();
        logger.info(`internal links checked in ${count} markdown files`);
      },
    },
  };
}
