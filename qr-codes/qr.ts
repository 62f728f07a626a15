import type { QRCodeErrorCorrectionLevel, QRCodeMaskPattern, QRCodeSegment, QRCode as QrSymbol } from 'qrcode';
import QRCode from 'qrcode';
import { QR_PNG_DEFAULT, QR_PNG_MAX, QR_PNG_MIN } from '../shared/domain.js';
import { escapeHtml } from './poster.js';

// Q restores ~25% of damaged modules: posters hang for years in halls, get scratched, taped over and
// faded by sun, and still have to scan.
export const QR_ERROR_CORRECTION: QRCodeErrorCorrectionLevel = 'Q';
// The QR standard requires a 4-module light border; scanners fail on posters framed in dark colours
// without it.
export const QR_QUIET_ZONE_MODULES = 4;

/** The URL a code's QR encodes (docs/api.md): `{PUBLIC_BASE_URL}/r/{code}`. */
export function codeUrl(publicBaseUrl: string, code: string): string {
  // Not passed through `new URL()`: that would rewrite the configured origin (case, default port),
  // and the printed URL must be exactly what the operator configured.
  return `${publicBaseUrl.replace(/\/+$/, '')}/r/${encodeURIComponent(code)}`;
}

export interface QrSvgOptions {
  /** Accessible name, emitted as the SVG's <title> (escaped). */
  title?: string;
}

/**
 * The QR as a standalone SVG: black modules on white, quiet zone included, sized only by its viewBox
 * (one unit per module) so it scales to any print size without resampling.
 */
export function renderQrSvg(url: string, opts: QrSvgOptions = {}): string {
  const { size, data } = createQrSymbol(url).modules;
  const m = QR_QUIET_ZONE_MODULES;
  const total = size + 2 * m;
  // One closed rectangle per horizontal run of dark modules: filled rectangles render without the
  // half-pixel blur of the stroked lines the qrcode package emits, and stay trivial to rasterise.
  const parts: string[] = [];
  for (let row = 0; row < size; row++) {
    const offset = row * size;
    let col = 0;
    while (col < size) {
      if (!data[offset + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < size && data[offset + col]) col++;
      const run = col - start;
      parts.push(`M${start + m} ${row + m}h${run}v1h-${run}z`);
    }
  }
  const title = opts.title === undefined ? '' : `<title>${escapeHtml(opts.title)}</title>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${total} ${total}" shape-rendering="crispEdges" role="img">` +
    title +
    `<rect width="${total}" height="${total}" fill="#fff"/>` +
    `<path fill="#000" d="${parts.join('')}"/>` +
    '</svg>'
  );
}

/** The QR as a PNG exactly `sizePx` wide and high. Throws RangeError outside QR_PNG_MIN..QR_PNG_MAX. */
export async function renderQrPng(url: string, sizePx: number = QR_PNG_DEFAULT): Promise<Buffer> {
  if (!Number.isInteger(sizePx) || sizePx < QR_PNG_MIN || sizePx > QR_PNG_MAX) {
    throw new RangeError(`QR PNG size must be an integer from ${QR_PNG_MIN} to ${QR_PNG_MAX} px, got ${sizePx}`);
  }
  // Same segments and mask as the SVG, so both formats carry the identical symbol.
  const segments = urlSegments(url);
  return QRCode.toBuffer(segments, {
    type: 'png',
    errorCorrectionLevel: QR_ERROR_CORRECTION,
    maskPattern: pickMaskPattern(segments),
    margin: QR_QUIET_ZONE_MODULES,
    width: sizePx,
    color: { dark: '#000000ff', light: '#ffffffff' },
  });
}

/**
 * The QR symbol for `url`: identical to `QRCode.create(url, { errorCorrectionLevel: 'Q' })` apart from
 * the segmentation, but about twice as fast: a poster sheet renders every code of a county (308) at once.
 */
export function createQrSymbol(url: string): QrSymbol {
  const segments = urlSegments(url);
  return QRCode.create(segments, { errorCorrectionLevel: QR_ERROR_CORRECTION, maskPattern: pickMaskPattern(segments) });
}

// One byte segment: the library's optimal mixed segmentation (a graph search per URL) costs a fifth
// of the render time, and on these URLs it can only move the code part to alphanumeric mode, which
// saves 2 bits for a 6-character code.
const utf8 = new TextEncoder();

function urlSegments(url: string): QRCodeSegment[] {
  return [{ data: utf8.encode(url), mode: 'byte' }];
}

/*
 * Mask selection. The library scores all 8 masks through per-module method calls, which is where
 * ~80% of its time goes. This re-scores them on flat arrays with the library's exact penalty rules
 * (the standard's N1–N4 as the library implements them, ties to the lower mask), so the chosen mask,
 * and therefore the symbol, is the one QRCode.create would pick for the same segments. Whatever it picks, the library then
 * applies mask and format bits itself: a mistake here could only cost scan robustness, never
 * correctness — and a test compares the result with the library's own choice.
 */
const ECL_BITS_Q = 0b11;
const FORMAT_GENERATOR = 0b10100110111;
const FORMAT_XOR_MASK = 0b101010000010010;

function formatBits(mask: number): number {
  const data = (ECL_BITS_Q << 3) | mask;
  let rem = data << 10;
  for (let bit = 14; bit >= 10; bit--) {
    if ((rem >> bit) & 1) rem ^= FORMAT_GENERATOR << (bit - 10);
  }
  return ((data << 10) | rem) ^ FORMAT_XOR_MASK;
}

const MASK_FORMAT_BITS = Array.from({ length: 8 }, (_, mask) => formatBits(mask));

function maskBit(mask: number, i: number, j: number): number {
  switch (mask) {
    case 0:
      return (i + j) % 2 === 0 ? 1 : 0;
    case 1:
      return i % 2 === 0 ? 1 : 0;
    case 2:
      return j % 3 === 0 ? 1 : 0;
    case 3:
      return (i + j) % 3 === 0 ? 1 : 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0 ? 1 : 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0 ? 1 : 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0 ? 1 : 0;
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0 ? 1 : 0;
  }
}

function writeFormatBits(m: Uint8Array, size: number, bits: number): void {
  for (let i = 0; i < 15; i++) {
    const v = (bits >> i) & 1;
    const vRow = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    m[vRow * size + 8] = v;
    const hCol = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 14 - i;
    m[8 * size + hCol] = v;
  }
  m[(size - 8) * size + 8] = 1;
}

// Penalty rules N1 (runs of 5+ same-coloured modules), N3 (finder-like 1:1:3:1:1 beside 4 light
// modules) along rows and columns, N2 (2×2 blocks of one colour) and N4 (dark share away from 50 %).
// Rows are scanned with the matrix, columns with its transpose, so every pass reads memory in order.
function penalty(m: Uint8Array, t: Uint8Array, size: number): number {
  let points = 0;
  let blocks = 0;
  let dark = 0;
  for (let rowStart = 0; rowStart < m.length; rowStart += size) {
    let prevRow = -1;
    let prevCol = -1;
    let runRow = 0;
    let runCol = 0;
    let bitsRow = 0;
    let bitsCol = 0;
    let pairLeft = -1;
    const below = rowStart + size;
    const hasBelow = below < m.length;
    for (let b = 0; b < size; b++) {
      const r = m[rowStart + b];
      const c = t[rowStart + b];
      dark += r;
      if (r === prevRow) runRow++;
      else {
        if (runRow >= 5) points += runRow - 2;
        prevRow = r;
        runRow = 1;
      }
      if (c === prevCol) runCol++;
      else {
        if (runCol >= 5) points += runCol - 2;
        prevCol = c;
        runCol = 1;
      }
      bitsRow = ((bitsRow << 1) & 0x7ff) | r;
      bitsCol = ((bitsCol << 1) & 0x7ff) | c;
      if (b >= 10) {
        if (bitsRow === 0x5d0 || bitsRow === 0x05d) points += 40;
        if (bitsCol === 0x5d0 || bitsCol === 0x05d) points += 40;
      }
      if (hasBelow) {
        const pair = r + m[below + b];
        if (pairLeft >= 0 && (pair + pairLeft === 0 || pair + pairLeft === 4)) blocks++;
        pairLeft = pair;
      }
    }
    if (runRow >= 5) points += runRow - 2;
    if (runCol >= 5) points += runCol - 2;
  }
  return points + blocks * 3 + Math.abs(Math.ceil((dark * 100) / m.length / 5) - 10) * 10;
}

// Mask bits already cleared on function modules, per symbol size: the reserved area depends only on
// the version, and a county's URLs all share one.
const maskTablesBySize = new Map<number, Uint8Array[]>();

function maskTables(size: number, reserved: Uint8Array): Uint8Array[] {
  let tables = maskTablesBySize.get(size);
  if (tables === undefined) {
    tables = Array.from({ length: 8 }, (_, mask) => {
      const t = new Uint8Array(size * size);
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          const k = i * size + j;
          if (!reserved[k]) t[k] = maskBit(mask, i, j);
        }
      }
      return t;
    });
    maskTablesBySize.set(size, tables);
  }
  return tables;
}

function pickMaskPattern(segments: QRCodeSegment[]): QRCodeMaskPattern {
  const probe = QRCode.create(segments, { errorCorrectionLevel: QR_ERROR_CORRECTION, maskPattern: 0 }).modules;
  const { size } = probe;
  const n = size * size;
  const tables = maskTables(size, probe.reservedBit);
  const unmasked = new Uint8Array(n);
  for (let k = 0; k < n; k++) unmasked[k] = probe.data[k] ^ tables[0][k];
  const candidate = new Uint8Array(n);
  const transposed = new Uint8Array(n);
  let best = 0;
  let bestPenalty = Infinity;
  for (let mask = 0; mask < 8; mask++) {
    const table = tables[mask];
    for (let k = 0; k < n; k++) candidate[k] = unmasked[k] ^ table[k];
    writeFormatBits(candidate, size, MASK_FORMAT_BITS[mask]);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) transposed[j * size + i] = candidate[i * size + j];
    }
    const p = penalty(candidate, transposed, size);
    if (p < bestPenalty) {
      bestPenalty = p;
      best = mask;
    }
  }
  return best as QRCodeMaskPattern;
}
