/** The cache tag of the pages that show announcements (the home pages): told through the help changes' channel, it changes no help content. */
export const ANNOUNCEMENTS_TAG = 'announcements';
/** The cache tag of the pages that show known problems (home, topic, FAQ and tutorial pages); it changes no help content either. */
export const KNOWN_PROBLEMS_TAG = 'known-problems';

/** A change that only drops the pages showing notices: no help content to reload or index. */
export const onlyNotices = (tags: string[]) => tags.length > 0 && tags.every((tag) => tag === ANNOUNCEMENTS_TAG || tag === KNOWN_PROBLEMS_TAG);
