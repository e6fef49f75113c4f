import { authority } from '../catalog';
import { publicOrigin } from '../public-origin.mjs';
import type { RequestSettings } from '.';

/** The authority's promises (content/authority.json) and the public address for links in mail. */
export async function requestSettings(): Promise<RequestSettings> {
  const site = await authority();
  return {
    origin: publicOrigin(),
    authority: { name: site.name, phone: site.contact.phone },
    answerWorkingDays: site.requests.answerWorkingDays,
  };
}
