import { ActionError, defineAction } from 'astro:actions';
import { localeFromPath } from '../i18n/routes';
import { DEFAULT_SETTINGS, serializeSettings, SETTINGS_COOKIE } from '../lib/display-settings';
import { articleExists } from '../lib/server/catalog';
import { getDb } from '../lib/server/db';
import { addFeedbackComment, type FeedbackFailure, recordFeedback } from '../lib/server/feedback';
import { clientKey } from '../lib/server/rate-limit';
import { feedbackAnswerInput, feedbackCommentInput } from '../schemas/feedback';
import { displaySettingsInput } from '../schemas/settings';
import { agentActions } from './agent';
import { chatActions } from './chat';
import { requestActions } from './request';
import { surveyActions } from './survey';

/** Business failures become action errors whose message is an i18n key. */
function fail(failure: FeedbackFailure): never {
  switch (failure.reason) {
    case 'rate-limited':
      throw new ActionError({ code: 'TOO_MANY_REQUESTS', message: `feedback.errors.rateLimited:${failure.retryAfter}` });
    case 'unknown-article':
      throw new ActionError({ code: 'NOT_FOUND', message: 'feedback.errors.unknownArticle' });
    case 'comment-empty':
      throw new ActionError({ code: 'BAD_REQUEST', message: 'feedback.errors.commentEmpty' });
    case 'comment-too-long':
      throw new ActionError({ code: 'BAD_REQUEST', message: 'feedback.errors.commentTooLong' });
    case 'expired':
      throw new ActionError({ code: 'GONE', message: 'feedback.errors.expired' });
  }
}

export const server = {
  settings: defineAction({
    accept: 'form',
    input: displaySettingsInput,
    handler: async (input, context) => {
      const settings = input.reset ? DEFAULT_SETTINGS : { textSize: input.textSize, theme: input.theme, spacing: input.spacing, motion: input.motion };
      if (input.reset) {
        context.cookies.delete(SETTINGS_COOKIE, { path: '/' });
      } else {
        context.cookies.set(SETTINGS_COOKIE, serializeSettings(settings), {
          path: '/',
          maxAge: 365 * 24 * 60 * 60,
          sameSite: 'lax',
          httpOnly: true,
          secure: context.url.protocol === 'https:',
        });
      }
      return { settings, back: input.back };
    },
  }),
  feedback: {
    answer: defineAction({
      accept: 'form',
      input: feedbackAnswerInput,
      handler: async (input, context) => {
        const db = await getDb();
        const result = await recordFeedback(
          db,
          {
            collection: input.collection,
            articleId: input.article,
            locale: localeFromPath(context.url.pathname),
            helpful: input.helpful === 'yes',
          },
          articleExists,
          { client: clientKey(context.clientAddress) },
        );
        if (!result.ok) fail(result);
        return { id: result.id, token: result.token, helpful: input.helpful, collection: input.collection, article: input.article };
      },
    }),
    comment: defineAction({
      accept: 'form',
      input: feedbackCommentInput,
      handler: async (input, context) => {
        const db = await getDb();
        const result = await addFeedbackComment(db, input, { client: clientKey(context.clientAddress) });
        if (!result.ok) fail(result);
        return { saved: true };
      },
    }),
  },
  request: requestActions,
  chat: chatActions,
  agent: agentActions,
  survey: surveyActions,
};
