import type { APIRoute } from 'astro';
import { announcementsFeed } from '../../lib/server/announcements-feed';

export const prerender = false;

export const GET: APIRoute = () => announcementsFeed('fr');
