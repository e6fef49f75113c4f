import type { APIRoute } from 'astro';
import { lexiconResponse } from '../../../lib/search/lexicon-route';

export const prerender = true;
export const GET: APIRoute = () => lexiconResponse('en');
