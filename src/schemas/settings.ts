import { z } from 'astro/zod';
import { MOTIONS, SPACINGS, TEXT_SIZES, THEMES } from '../lib/display-settings';

const invalid = 'settings.errors.invalid';

/** A path on this site to go back to; anything else is dropped rather than refused. */
export const safeBackPath = z
  .string()
  .max(300)
  .regex(/^\/(?!\/)[^\s\\]*$/)
  .optional()
  .catch(undefined);

export const displaySettingsInput = z.object({
  textSize: z.enum(TEXT_SIZES, { error: invalid }),
  theme: z.enum(THEMES, { error: invalid }),
  spacing: z.enum(SPACINGS, { error: invalid }),
  motion: z.enum(MOTIONS, { error: invalid }),
  reset: z.string().optional(),
  back: safeBackPath,
});
