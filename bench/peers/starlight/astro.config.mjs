// The reference help centre: Starlight as its documentation describes it, in French, with the
// generated FAQ in an automatic sidebar and Starlight's own Pagefind search.
import starlight from '@astrojs/starlight';
import { defineConfig } from 'astro/config';

export default defineConfig({
  site: 'http://localhost',
  telemetry: false,
  integrations: [
    starlight({
      title: 'Aide en ligne',
      defaultLocale: 'root',
      locales: { root: { label: 'Français', lang: 'fr' } },
      sidebar: [{ label: 'Questions fréquentes', items: [{ autogenerate: { directory: 'faq' } }] }],
    }),
  ],
});
