import { authority } from '../../catalog';
import type { RequestSettings } from '.';

/** The authority's promises (content/authority.json) and the public address for links in mail. */
export async function requestSettings(origin: string): Promise<RequestSettings> {
  const site = await authority();
  return {
    origin: process.env.PUBLIC_ORIGIN?.trim() || origin,
    authority: { name: site.name, phone: site.contact.phone },
    answerWorkingDays: site.requests.answerWorkingDays,
  };
}
