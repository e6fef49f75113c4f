// Reading a PDF the portal printed, as a person would: its text (pdf.js) and the QR code on its
// first page, rendered to pixels (pdf-to-img) and decoded (jsQR).
import jsQR from 'jsqr';
import { pdf } from 'pdf-to-img';
import sharp from 'sharp';

export async function pdfText(data: Buffer): Promise<{ pages: number; text: string }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await pdfjs.getDocument({ data: new Uint8Array(data), useSystemFonts: true }).promise;
  const texts: string[] = [];
  for (let n = 1; n <= document.numPages; n += 1) {
    const content = await (await document.getPage(n)).getTextContent();
    texts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await document.destroy();
  return { pages: document.numPages, text: texts.join('\n').replace(/\s+/g, ' ') };
}

/** The text of the first QR code found on the PDF's first page, or null. */
export async function pdfQrCode(data: Buffer): Promise<string | null> {
  const document = await pdf(data, { scale: 3 });
  try {
    const png = await document.getPage(1);
    const { data: pixels, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return jsQR(new Uint8ClampedArray(pixels.buffer, pixels.byteOffset, pixels.byteLength), info.width, info.height)?.data ?? null;
  } finally {
    await document.destroy();
  }
}
