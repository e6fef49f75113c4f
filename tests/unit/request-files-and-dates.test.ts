import { describe, expect, it } from 'vitest';
import { REQUEST_LIMITS } from '../../db/schema';
import { dueAfter, publicHolidays, simpleHours, type WorkingHours } from '../../src/lib/server/requests/due';
import { checkUploads, detectFileType, safeFileName } from '../../src/lib/server/requests/files';
import { generateToken, hashToken, isWellFormedToken, trackingTokenFor } from '../../src/lib/server/requests/tokens';

const bytes = (...b: number[]) => new Uint8Array([...b, 0, 0, 0, 0, 0, 0, 0, 0]);
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('attached files', () => {
  it('recognises images and PDF from their first bytes, whatever their name', () => {
    expect(detectFileType(bytes(...PNG))).toBe('image/png');
    expect(detectFileType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(detectFileType(bytes(0x47, 0x49, 0x46, 0x38, 0x39, 0x61))).toBe('image/gif');
    expect(detectFileType(new Uint8Array([0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50]))).toBe('image/webp');
    expect(detectFileType(new TextEncoder().encode('%PDF-1.7\n'))).toBe('application/pdf');
    expect(detectFileType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeUndefined();
    expect(detectFileType(new TextEncoder().encode('MZ executable'))).toBeUndefined();
  });

  it('gives a file a safe name with the extension of its real type', () => {
    expect(safeFileName('C:\\Users\\jean\\facture.exe', 'application/pdf')).toBe('facture.pdf');
    expect(safeFileName('../../etc/passwd', 'image/png')).toBe('passwd.png');
    expect(safeFileName('"<script>".png', 'image/png')).toBe('script.png');
    expect(safeFileName('', 'image/jpeg')).toBe('piece-jointe.jpg');
    // Direction controls would show a false extension ("facture\u202Efdp.exe" reads "factureexe.pdf").
    expect(safeFileName('facture\u202Efdp.exe', 'application/pdf')).toBe('facturefdp.pdf');
    expect(safeFileName('\u2066scan\u2069\u200F.png', 'image/png')).toBe('scan.png');
  });

  it('refuses too many files, an empty file, a file over 10 MB and a file of another type', async () => {
    const png = (name: string, size = 20) => {
      const content = new Uint8Array(size);
      content.set(PNG);
      return new File([content], name);
    };
    expect(await checkUploads([png('a.png'), png('b.png')], 1)).toMatchObject({ ok: false, message: 'request.errors.tooManyFiles', params: { room: 1 } });
    expect(await checkUploads([new File([], 'vide.png')], 5)).toMatchObject({ ok: false, message: 'request.errors.fileEmpty', params: { name: 'vide.png' } });
    expect(await checkUploads([png('grand.png', REQUEST_LIMITS.fileBytes + 1)], 5)).toMatchObject({ ok: false, message: 'request.errors.fileTooLarge', params: { name: 'grand.png' } });
    expect(await checkUploads([new File(['hello'], 'photo.png')], 5)).toMatchObject({ ok: false, message: 'request.errors.fileType', params: { name: 'photo.png' } });
    const accepted = await checkUploads([png('exact.png', REQUEST_LIMITS.fileBytes), new File([], '')], 5);
    expect(accepted.ok && accepted.files.map((f) => [f.fileName, f.contentType, f.size])).toEqual([['exact.png', 'image/png', REQUEST_LIMITS.fileBytes]]);
  });
});

describe('due dates', () => {
  it('knows the French public holidays, Easter ones included', () => {
    expect([...publicHolidays(2027)].sort()).toEqual(['2027-01-01', '2027-03-29', '2027-05-01', '2027-05-06', '2027-05-08', '2027-05-17', '2027-07-14', '2027-08-15', '2027-11-01', '2027-11-11', '2027-12-25']);
  });

  it('counts working days only, ending at closing time, Paris time', () => {
    const due = (iso: string, days = 2, hours?: WorkingHours) => dueAfter(new Date(iso), days, hours).toISOString();
    expect(due('2026-12-01T10:00:00Z')).toBe('2026-12-03T16:00:00.000Z'); // Tuesday → Thursday 17:00 (UTC+1)
    expect(due('2026-11-27T18:00:00Z')).toBe('2026-12-02T16:00:00.000Z'); // Friday after closing → counted from Monday
    expect(due('2026-11-28T09:00:00Z')).toBe('2026-12-02T16:00:00.000Z'); // Saturday → counted from Monday
    expect(due('2026-12-24T09:00:00Z')).toBe('2026-12-29T16:00:00.000Z'); // Christmas and a weekend skipped
    expect(due('2027-03-26T09:00:00Z')).toBe('2027-03-31T15:00:00.000Z'); // Easter Monday skipped; summer time (UTC+2)
    expect(due('2026-11-25T10:00:00Z', 0)).toBe('2026-11-25T16:00:00.000Z'); // 0: the same day, before closing
  });

  it('follows the authority’s own days and hours', () => {
    const saturdays: WorkingHours = simpleHours([2, 3, 4, 5, 6], '08:30', '12:00');
    expect(dueAfter(new Date('2026-11-27T12:00:00Z'), 1, saturdays).toISOString()).toBe('2026-12-01T11:00:00.000Z'); // Friday 13:00 → Saturday counts as day 0, Tuesday is day 1
    expect(dueAfter(new Date('2026-11-27T12:00:00Z'), 1, simpleHours([], '09:00', '17:00')).getTime()).toBe(Date.parse('2026-11-28T12:00:00Z'));
  });
});

describe('secret tokens', () => {
  it('are long, random, URL-safe, and stored only as a hash', () => {
    const a = generateToken();
    expect(a).toMatch(/^[a-z2-7]{52}$/);
    expect(generateToken()).not.toBe(a);
    expect(hashToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(a)).not.toContain(a);
    expect(isWellFormedToken(a)).toBe(true);
    expect(isWellFormedToken(`${a}x`)).toBe(false);
  });

  it('derive a request’s link from its draft, and nothing else from the draft’s hash', () => {
    const draft = generateToken();
    expect(trackingTokenFor(draft)).toBe(trackingTokenFor(draft));
    expect(isWellFormedToken(trackingTokenFor(draft))).toBe(true);
    expect(trackingTokenFor(hashToken(draft))).not.toBe(trackingTokenFor(draft));
  });
});
