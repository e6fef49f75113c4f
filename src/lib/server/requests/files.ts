import { REQUEST_LIMITS } from '../../../../db/schema';
import { BIDI_CONTROLS } from '../../request-form';

/** What residents may attach: screenshots, photos and PDF documents. */
export const ACCEPTED_TYPES = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
} as const;
export type AcceptedType = keyof typeof ACCEPTED_TYPES;

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b);

/** The file's type read from its first bytes; the name and the browser's claim are ignored. */
export function detectFileType(bytes: Uint8Array): AcceptedType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  return undefined;
}

/** A name safe to show and to offer for download: no folders, no control characters, the right extension. */
export function safeFileName(name: string, type: AcceptedType): string {
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f"<>|:*?]/g, '').replace(BIDI_CONTROLS, '').trim();
  const extension = ACCEPTED_TYPES[type];
  const stem = base.replace(/\.[^.]*$/, '').slice(0, REQUEST_LIMITS.fileName - extension.length - 1) || 'piece-jointe';
  return `${stem}.${extension}`;
}

export interface Upload {
  fileName: string;
  contentType: AcceptedType;
  size: number;
  data: Buffer;
}

export type UploadCheck = { ok: true; files: Upload[] } | { ok: false; message: string; params?: Record<string, string | number> };

/**
 * Checks files posted with a form: at most `room` of them (what is left of the five allowed),
 * each non-empty, at most 10 MB, and of an accepted type judged from its content.
 */
export async function checkUploads(posted: FormDataEntryValue[], room: number): Promise<UploadCheck> {
  // A file input left empty posts one nameless, empty file.
  const files = posted.filter((f): f is File => typeof f !== 'string' && (f.size > 0 || f.name !== ''));
  if (files.length > room) return { ok: false, message: 'request.errors.tooManyFiles', params: { max: REQUEST_LIMITS.files, room } };
  const uploads: Upload[] = [];
  for (const file of files) {
    if (file.size === 0) return { ok: false, message: 'request.errors.fileEmpty', params: { name: file.name } };
    if (file.size > REQUEST_LIMITS.fileBytes) return { ok: false, message: 'request.errors.fileTooLarge', params: { name: file.name } };
    const data = Buffer.from(await file.arrayBuffer());
    const type = detectFileType(data);
    if (!type) return { ok: false, message: 'request.errors.fileType', params: { name: file.name } };
    uploads.push({ fileName: safeFileName(file.name, type), contentType: type, size: data.byteLength, data });
  }
  return { ok: true, files: uploads };
}
