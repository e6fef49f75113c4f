/**
 * Astro's route cache for the help pages: Astro's own in-memory provider, with two things
 * added. Before a request is answered (from the cache or not), changes published by any
 * process are read (at most every 250 ms, ./changes.ts) and the pages they name are dropped,
 * so a publish is live on every server within a second. And the query string is not part of
 * the key: help pages do not read it, and hostile ones would only push good pages out.
 */
import type { CacheProvider, CacheProviderFactory } from 'astro';
import memoryProvider from 'astro/cache/memory';
import { checkHelpChanges, onHelpChange } from './changes';

/** Pages kept per process (about 40 KB each): HELP_PAGE_CACHE_MAX, 500 by default. */
const DEFAULT_MAX = 500;

const helpPageCache: CacheProviderFactory<{ max?: number }> = (config) => {
  const max = Number(process.env.HELP_PAGE_CACHE_MAX) || config?.max || DEFAULT_MAX;
  const memory = memoryProvider({ max, query: { include: [] } }) as CacheProvider;
  onHelpChange(({ tags }) => memory.invalidate({ tags }));
  return {
    name: 'guichet-help-pages',
    async onRequest(context, next) {
      if (context.request.method === 'GET') {
        try {
          await checkHelpChanges();
        } catch (error) {
          // The database is unreachable: serve what is cached; the pages rendered now will say so.
          context.logger.warn(`help changes not read: ${String(error)}`);
        }
      }
      return memory.onRequest!(context, next);
    },
    invalidate: (options) => memory.invalidate(options),
  };
};

export default helpPageCache;
