import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'astro/zod';
import { brokenInlineLinks } from '../lib/content-links';

/**
 * Content schemas. Messages here are read by editors when a build fails, so they say what
 * to change. Astro prefixes them with the collection, the file and the field.
 */

export const PLACE_KINDS = ['france-services', 'conseiller-numerique', 'mairie', 'mediatheque'] as const;
export const PLACE_SERVICES = [
  'online-procedures',
  'device-access',
  'printing-scanning',
  'digital-training',
  'email-account',
  'franceconnect',
  'payments',
  'caf-cpam-taxes',
] as const;
export const WEEK_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const AUDIENCES = ['residents', 'families', 'helpers', 'everyone', 'staff'] as const;
/** Who an FAQ entry is for: residents (the public help centre) or the authority's staff (the workspace only). */
export const FAQ_AUDIENCES = ['residents', 'staff'] as const;

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and hyphens only (for example "mot-de-passe-perdu")');

/**
 * The references below are checked against what exists when a set is given (on every save and
 * publish); without one (reading what was already checked when published) any value passes.
 */
export function topicReference(known?: ReadonlySet<string>) {
  if (!known) return z.string().min(1);
  return z.string().refine((id) => known.has(id), {
    error: (issue) =>
      `unknown topic "${String(issue.input)}": choose one of the published topics (${[...known].sort().join(', ')})`,
  });
}

/** Whether an image path leads to a file of public/ or to an image uploaded from the editor. */
export type ImageCheck = (src: string) => boolean;
export const imageInPublic = (publicRoot: string): ImageCheck => (src) => existsSync(join(publicRoot, src));

/** An image that exists and always has a text alternative. */
export function imageSchema(imageExists?: ImageCheck) {
  return z.object({
    src: z
      .string()
      .regex(/^\/[^\s]+\.(svg|png|jpe?g|webp|avif)$/, 'image paths start with "/" and point to a file in public/ or an uploaded image (svg, png, jpg, webp, avif)')
      .refine((src) => !imageExists || imageExists(src), { error: (i) => `image not found: ${String(i.input)}` }),
    alt: z
      .string({ error: 'every image needs a text alternative: add "alt" describing what the picture shows' })
      .trim()
      .min(3, 'every image needs a text alternative: add "alt" describing what the picture shows'),
  });
}

export const topicSchema = z.object({
  title: z.string().min(2).max(80),
  description: z.string().min(10).max(240),
  order: z.number().int().min(0).max(999),
});

export function faqSchema(topics?: ReadonlySet<string>) {
  return z.object({
    question: z.string().trim().min(8, 'the question is too short').max(200, 'keep the question under 200 characters'),
    topic: topicReference(topics),
    procedures: z.array(z.string().min(2).max(80)).max(10).default([]),
    /** `staff`: internal help, served only to signed-in workspace accounts and kept out of the public search, lists and sitemap. */
    audience: z.enum(FAQ_AUDIENCES).default('residents'),
    lastReviewed: z.coerce.date({ error: 'lastReviewed must be a date such as 2026-11-01' }),
    /** Words residents search with that the text does not hold ("cb", "garderie"): found by search, not shown. */
    keywords: z.array(z.string().trim().min(2).max(60)).max(30).default([]),
    /** For a translation: the slug of the French entry it translates. */
    translationOf: slug.optional(),
  });
}

/** Text that may hold `[links](/path/)`: each internal link must lead to an existing page. */
export function linkedText(known: ReadonlySet<string> | undefined, max: number) {
  return z
    .string()
    .trim()
    .min(3)
    .max(max)
    .superRefine((text, ctx) => {
      if (!known) return;
      for (const url of brokenInlineLinks(text, known)) {
        ctx.addIssue({ code: 'custom', message: `broken internal link "${url}": no page has this address; check the slug (the file name in content/)` });
      }
    });
}

export function tutorialSchema(topics?: ReadonlySet<string>, imageExists?: ImageCheck, known?: ReadonlySet<string>) {
  const image = imageSchema(imageExists);
  const step = z.object({
    title: z.string().trim().min(3).max(120),
    text: linkedText(known, 1500),
    image: image.optional(),
  });
  return z.object({
    title: z.string().trim().min(5).max(120),
    summary: z.string().trim().min(10).max(300),
    topic: topicReference(topics),
    audience: z.enum(AUDIENCES),
    durationMinutes: z.number().int().min(1).max(240),
    lastReviewed: z.coerce.date({ error: 'lastReviewed must be a date such as 2026-11-01' }),
    /** Words residents search with that the text does not hold ("cb", "garderie"): found by search, not shown. */
    keywords: z.array(z.string().trim().min(2).max(60)).max(30).default([]),
    steps: z.array(step).min(2, 'a tutorial has at least two steps'),
    /** Easy-to-read (FALC) version: short sentences, one idea each, a picture for every step. */
    easyRead: z
      .object({
        intro: z.string().trim().min(3).max(400),
        steps: z
          .array(z.object({ text: z.string().trim().min(3).max(200, 'easy-to-read steps stay under 200 characters'), image }))
          .min(2),
      })
      .optional(),
    translationOf: slug.optional(),
  });
}

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'times are written HH:MM, for example 09:30');

export const placeSchema = z.object({
  name: z.string().min(3).max(120),
  kind: z.enum(PLACE_KINDS),
  address: z.object({ street: z.string().min(3), postcode: z.string().regex(/^\d{5}$/, 'a French postcode has 5 digits'), city: z.string().min(2) }),
  phone: z.string().regex(/^0\d( \d\d){4}$/, 'write phone numbers as 0X XX XX XX XX').optional(),
  email: z.email().optional(),
  hours: z.array(z.object({ days: z.array(z.enum(WEEK_DAYS)).min(1), opens: time, closes: time })).min(1),
  appointmentOnly: z.boolean().default(false),
  stepFreeAccess: z.boolean({ error: 'say whether the place has step-free access (true or false)' }),
  services: z.array(z.enum(PLACE_SERVICES)).min(1),
  notes: z.object({ fr: z.string().max(400), en: z.string().max(400).optional() }).optional(),
});

export const glossarySchema = z.object({
  term: z.string().min(2).max(80),
  definition: z.string().min(10).max(600),
  abbreviationOf: z.string().optional(),
});

export const pageSchema = z.object({
  title: z.string().min(3).max(120),
  description: z.string().min(10).max(300),
  lastReviewed: z.coerce.date(),
  /** Accessibility statement only: conformity as RGAA defines it. */
  conformity: z.enum(['totale', 'partielle', 'non']).optional(),
  conformityRate: z.number().min(0).max(100).optional(),
});

export const authoritySchema = z.object({
  name: z.string().min(2),
  shortName: z.string().min(2).max(40),
  kind: z.string().min(2),
  logo: z.object({ src: z.string().regex(/^\//), alt: z.string().min(2) }).optional(),
  colors: z.object({
    primary: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    primaryDark: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    accent: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  }),
  contact: z.object({
    phone: z.string(),
    phoneHours: z.object({ fr: z.string(), en: z.string() }),
    address: z.string(),
  }),
  website: z.url().optional(),
  /** Promises made to residents who send a request. */
  requests: z
    .object({
      /** Working days to the first answer (an accessibility barrier: one week, by law). */
      answerWorkingDays: z.number().int().min(1).max(30).default(2),
      /** Months a request's personal data is kept after it is closed. */
      retentionMonths: z.number().int().min(1).max(60).default(12),
    })
    .default({ answerWorkingDays: 2, retentionMonths: 12 }),
  /** How long other personal data is kept (defaults in db/retention.mjs: 30 days, 24 and 24 months). */
  retention: z
    .object({
      sentMailDays: z.number().int().min(1).max(3650).optional(),
      auditLogMonths: z.number().int().min(1).max(120).optional(),
      feedbackCommentMonths: z.number().int().min(1).max(120).optional(),
    })
    .optional(),
});

/** content/search/synonyms.yaml: per language, groups of equivalent words and expressions. */
const synonymGroups = z.array(z.array(z.string().trim().min(1).max(60)).min(2, 'a group of synonyms holds at least two words').max(30)).max(2000);
export const synonymsSchema = z.object({ fr: synonymGroups.default([]), en: synonymGroups.default([]) });
