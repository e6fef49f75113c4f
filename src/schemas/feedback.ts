import { z } from 'astro/zod';
import { FEEDBACK_COMMENT_MAX } from '../../db/schema';
import { hasControlCharacters } from '../lib/request-form';

/**
 * Validation at the edge for article feedback. Messages are i18n keys, translated where
 * the error is shown, so the reader gets them in the page's language.
 */
export const feedbackAnswerInput = z.object({
  collection: z.enum(['faq', 'tutorials'], { error: 'feedback.errors.unknownArticle' }),
  article: z.string({ error: 'feedback.errors.unknownArticle' }).min(1, 'feedback.errors.unknownArticle').max(200, 'feedback.errors.unknownArticle'),
  helpful: z.enum(['yes', 'no'], { error: 'feedback.errors.answerRequired' }),
  /** Honeypot: hidden from people, filled in by bots. */
  website: z.string().max(0, 'feedback.errors.rejected').optional(),
});

export const feedbackCommentInput = z.object({
  id: z.coerce.number({ error: 'feedback.errors.expired' }).int('feedback.errors.expired').positive('feedback.errors.expired'),
  token: z.string({ error: 'feedback.errors.expired' }).min(20, 'feedback.errors.expired').max(100, 'feedback.errors.expired'),
  comment: z
    .string({ error: 'feedback.errors.commentEmpty' })
    .refine((value) => !hasControlCharacters(value), 'request.errors.controlCharacters')
    .trim()
    .min(1, 'feedback.errors.commentEmpty')
    .max(FEEDBACK_COMMENT_MAX, 'feedback.errors.commentTooLong'),
  website: z.string().max(0, 'feedback.errors.rejected').optional(),
});

