import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

const encoder = new TextEncoder();

/** 32 random bytes (256 bits), as 52 lower-case base32 characters: safe in a URL and a cookie. */
export function generateToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** What the database stores instead of a token: a leaked table reveals no usable link. */
export function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(encoder.encode(token)));
}

/**
 * The tracking token of a request sent from a draft, derived from the draft's secret (held
 * only by the resident's browser), so that the confirmation page can show the link again on
 * a reload without the database ever holding the link itself.
 */
export function trackingTokenFor(draftToken: string): string {
  return encodeBase32LowerCaseNoPadding(sha256(encoder.encode(`guichet-tracking:${draftToken}`)));
}

/** Cheap shape check before any lookup: a truncated or forged link fails here. */
export const isWellFormedToken = (value: string) => /^[a-z2-7]{52}$/.test(value);
