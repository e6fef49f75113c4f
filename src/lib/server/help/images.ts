/**
 * Images uploaded from the editor. The type is read from the bytes (not the name or what the
 * browser says); the picture is decoded, turned upright, scaled down to 1,600 px at most and
 * re-encoded as WebP by sharp, which leaves every metadata block (EXIF, GPS, XMP) behind. It
 * is stored in the database (several servers share it), named by the hash of its bytes.
 */
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { helpImages } from '../../../../db/schema';
import { recordAudit, type Actor } from '../audit';
import type { Db } from '../db';

export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;
const MAX_SIDE = 1600;

/** PNG, JPEG, WebP and GIF, recognised by their first bytes. */
export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | 'webp' | 'gif' | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 8 && bytes[0] === 0x89 && ascii(1, 4) === 'PNG') return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'gif';
  return undefined;
}

export type StoredImage = { ok: true; src: string; width: number; height: number } | { ok: false; reason: 'empty' | 'too-large' | 'not-an-image' | 'unreadable' };

export async function storeImage(db: Db, actor: Actor, bytes: Uint8Array): Promise<StoredImage> {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes.length > IMAGE_MAX_BYTES) return { ok: false, reason: 'too-large' };
  if (!imageKind(bytes)) return { ok: false, reason: 'not-an-image' };
  let output: { data: Buffer; info: { width: number; height: number } };
  try {
    // limitInputPixels: a small file that decodes to a huge picture is refused, not decoded.
    output = await sharp(bytes, { limitInputPixels: 40_000_000, animated: false })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
  const id = createHash('sha256').update(output.data).digest('hex');
  const [existing] = await db.select({ id: helpImages.id }).from(helpImages).where(eq(helpImages.id, id));
  if (!existing) {
    await db.insert(helpImages).values({ id, mime: 'image/webp', bytes: output.data, width: output.info.width, height: output.info.height, uploadedBy: actor.id, createdAt: new Date() }).onConflictDoNothing();
    await recordAudit(db, actor, 'help.image', { details: { image: id } });
  }
  return { ok: true, src: `/medias/${id}.webp`, width: output.info.width, height: output.info.height };
}

export async function readImage(db: Db, id: string): Promise<{ mime: string; bytes: Buffer } | undefined> {
  if (!/^[0-9a-f]{64}$/.test(id)) return undefined;
  const [row] = await db.select({ mime: helpImages.mime, bytes: helpImages.bytes }).from(helpImages).where(eq(helpImages.id, id));
  return row;
}
