/**
 * The announcements as an Atom feed (`feed`, a maintained generator), one per language: those
 * shown today and those over in the last year, every link built from the configured public
 * address. Read when asked; a feed reader asks rarely.
 */
import { Feed } from 'feed';
import { announcementsFeedPath, type Locale, pathTo, useTranslations } from '../../i18n';
import { publicAnnouncements } from './announcements';
import { authority } from './catalog';
import { getDb } from './db';
import { dayStart } from './evaluation/period';
import { publicOrigin } from './public-origin.mjs';

export async function announcementsFeed(locale: Locale): Promise<Response> {
  const t = useTranslations(locale);
  const site = await authority();
  const origin = publicOrigin();
  const page = new URL(pathTo('announcements', locale), origin).href;
  const { current, past } = await publicAnnouncements(await getDb(), locale);
  const items = [...current, ...past];
  const feed = new Feed({
    id: page,
    title: `${t('announcements.title')} – ${site.name}`,
    description: t('announcements.intro'),
    link: page,
    language: locale,
    updated: items.length > 0 ? new Date(Math.max(...items.map((a) => a.updatedAt.getTime()))) : new Date(0),
    feedLinks: { atom: new URL(announcementsFeedPath(locale), origin).href },
    author: { name: site.name, link: new URL(pathTo('home', locale), origin).href },
    generator: false,
  });
  for (const a of items) {
    feed.addItem({
      id: `${page}#annonce-${a.id}`,
      link: `${page}#annonce-${a.id}`,
      title: a.title,
      content: a.body,
      date: a.updatedAt,
      published: dayStart(a.startsOn),
    });
  }
  return new Response(feed.atom1(), { headers: { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'public, max-age=300' } });
}
