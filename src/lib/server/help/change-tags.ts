/** The cache tag of the pages that show announcements (the home pages): told through the help changes' channel, it changes no help content. */
export const ANNOUNCEMENTS_TAG = 'announcements';
