// QR images and poster sheets of codes. A code's URL never changes, so neither does its image: SVGs
// are cached per code and PNGs per (code, size) in bounded LRUs, generated on first request only.
// PNGs are drawn by worker threads (png-renderer.ts): pure-JS compression costs ≈21 ms at 600 px and
// ≈230 ms at 2048 px, too much for the event loop that answers citizens.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { codeUrl, POSTER_CSS, QR_PNG_DEFAULT, renderPosterSheet, renderQrSvg } from '../../../qr-codes/index.js';
import type { PngRenderer } from './png-renderer.js';

export interface QrImage<B extends string | Buffer = string | Buffer> {
  body: B;
  /** Strong ETag (quoted): a hash of the exact bytes. */
  etag: string;
}

export interface PosterCode {
  code: string;
  departmentName: string;
  location: string;
  staffName: string | null;
}

function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** The stylesheet the sheets link to, versioned by content so it can be cached as immutable. */
export const POSTER_CSS_VERSION = createHash('sha256').update(POSTER_CSS).digest('hex').slice(0, 12);
export const POSTER_CSS_PATH = '/api/posters.css';
export { POSTER_CSS };

export function createQrImages(opts: { publicBaseUrl: string; pngRenderer: PngRenderer; svgCacheSize?: number; pngCacheSize?: number }) {
  const svgs = new LRUCache<string, QrImage<string>>({ max: opts.svgCacheSize ?? 5000 });
  // Promises, so concurrent first requests for one image render it once.
  const pngs = new LRUCache<string, Promise<QrImage<Buffer>>>({ max: opts.pngCacheSize ?? 500 });

  function url(code: string): string {
    return codeUrl(opts.publicBaseUrl, code);
  }

  function svg(code: string): QrImage<string> {
    let image = svgs.get(code);
    if (!image) {
      const body = renderQrSvg(url(code));
      image = { body, etag: strongEtag(body) };
      svgs.set(code, image);
    }
    return image;
  }

  function png(code: string, size: number = QR_PNG_DEFAULT): Promise<QrImage<Buffer>> {
    const key = `${code}@${size}`;
    let pending = pngs.get(key);
    if (!pending) {
      pending = opts.pngRenderer.render(url(code), size).then((body) => ({ body, etag: strongEtag(body) }));
      pngs.set(key, pending);
      pending.catch(() => pngs.delete(key));
    }
    return pending;
  }

  /** A complete A4 print sheet of the given codes, in the order given. */
  function posterSheet(title: string, codes: readonly PosterCode[], sheet: { styleNonce?: string } = {}): string {
    return renderPosterSheet({
      title,
      cropMarks: true,
      styleNonce: sheet.styleNonce,
      stylesheetHref: `${POSTER_CSS_PATH}?v=${POSTER_CSS_VERSION}`,
      posters: codes.map((c) => ({
        code: c.code,
        departmentName: c.departmentName,
        location: c.location,
        staffName: c.staffName,
        qrSvg: svg(c.code).body,
      })),
    });
  }

  return { url, svg, png, posterSheet };
}

export type QrImages = ReturnType<typeof createQrImages>;
