import { serveAttachment } from '../../../../lib/server/requests/download';

export const prerender = false;
export const GET = serveAttachment;
