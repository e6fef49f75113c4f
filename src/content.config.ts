import { join } from 'node:path';
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { knownPaths } from './lib/content-links';
import { contentDir, publicDir, topicIds } from './lib/content-paths';
import {
  authoritySchema,
  faqSchema,
  glossarySchema,
  pageSchema,
  placeSchema,
  synonymsSchema,
  topicSchema,
  tutorialSchema,
} from './schemas/content';

const root = contentDir();
const topics = topicIds(root);

export const collections = {
  site: defineCollection({ loader: glob({ pattern: 'authority.json', base: root }), schema: authoritySchema }),
  topics: defineCollection({ loader: glob({ pattern: '{fr,en}/*.yaml', base: join(root, 'topics') }), schema: topicSchema }),
  faq: defineCollection({ loader: glob({ pattern: '{fr,en}/*.md', base: join(root, 'faq') }), schema: faqSchema(topics) }),
  tutorials: defineCollection({
    loader: glob({ pattern: '{fr,en}/*.md', base: join(root, 'tutorials') }),
    schema: tutorialSchema(topics, publicDir(), knownPaths(root)),
  }),
  places: defineCollection({ loader: glob({ pattern: '*.yaml', base: join(root, 'help-places') }), schema: placeSchema }),
  glossary: defineCollection({ loader: glob({ pattern: '{fr,en}/*.yaml', base: join(root, 'glossary') }), schema: glossarySchema }),
  synonyms: defineCollection({ loader: glob({ pattern: 'synonyms.yaml', base: join(root, 'search') }), schema: synonymsSchema }),
  pages: defineCollection({ loader: glob({ pattern: '{fr,en}/*.md', base: join(root, 'pages') }), schema: pageSchema }),
};
