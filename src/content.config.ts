import { join } from 'node:path';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { contentDir } from './lib/content-paths';
import { authoritySchema, pageSchema, synonymsSchema } from './schemas/content';

/**
 * What stays in files and is read at build: the authority, the legal pages and the search's
 * synonyms. FAQ entries, tutorials, topics, glossary terms and help places live in the
 * database, seeded from content/ (src/lib/server/help/).
 */
const root = contentDir();

export const collections = {
  site: defineCollection({ loader: glob({ pattern: 'authority.json', base: root }), schema: authoritySchema }),
  synonyms: defineCollection({ loader: glob({ pattern: 'synonyms.yaml', base: join(root, 'search') }), schema: synonymsSchema }),
  pages: defineCollection({ loader: glob({ pattern: '{fr,en}/*.md', base: join(root, 'pages') }), schema: pageSchema }),
};
