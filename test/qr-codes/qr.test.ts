import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import {
  codeUrl,
  createQrSymbol,
  QR_PNG_DEFAULT,
  QR_PNG_MAX,
  QR_PNG_MIN,
  QR_QUIET_ZONE_MODULES,
  renderQrPng,
  renderQrSvg,
} from '../../qr-codes/index';
import { decodePng, gridToRgba, type ModuleGrid, svgToModuleGrid } from '../helpers/qr-decode.js';

const COUNTY_BASE = 'https://pingyi.example.gov.cn:8443/county';
const CODES = ['ABC234', '23456789ABCD', 'ZZZZ', 'K7M9PQ'];

// The 15 format bits next to the top-left finder (ISO/IEC 18004 §7.9); bits 13–14 are the error
// correction level once the fixed XOR mask is removed: L=01, M=00, Q=11, H=10.
function errorCorrectionBits(grid: ModuleGrid): number {
  const q = QR_QUIET_ZONE_MODULES;
  const size = grid.total - 2 * q;
  let bits = 0;
  for (let i = 0; i < 15; i++) {
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    if (grid.dark[row + q][8 + q]) bits |= 1 << i;
  }
  return ((bits ^ 0b101010000010010) >> 13) & 0b11;
}

describe('codeUrl', () => {
  it('builds {PUBLIC_BASE_URL}/r/{code}', () => {
    expect(codeUrl('http://localhost:3000', 'ABC234')).toBe('http://localhost:3000/r/ABC234');
    expect(codeUrl('http://localhost:3000/', 'ABC234')).toBe('http://localhost:3000/r/ABC234');
    expect(codeUrl(`${COUNTY_BASE}//`, 'ABC234')).toBe(`${COUNTY_BASE}/r/ABC234`);
    expect(codeUrl(COUNTY_BASE, 'ABC234')).toBe('https://pingyi.example.gov.cn:8443/county/r/ABC234');
  });

  it('keeps the configured origin as written', () => {
    expect(codeUrl('HTTPS://PingYi.Example.gov.cn:443', 'ABC234')).toBe('HTTPS://PingYi.Example.gov.cn:443/r/ABC234');
  });

  it('cannot be steered out of /r/ by a malformed code', () => {
    expect(codeUrl(COUNTY_BASE, '../admin')).toBe(`${COUNTY_BASE}/r/..%2Fadmin`);
  });
});

describe('renderQrSvg', () => {
  it.each(CODES)('decodes to exactly the contract URL for code %s (default and county base URL)', (code) => {
    for (const base of ['http://localhost:3000', COUNTY_BASE]) {
      const url = codeUrl(base, code);
      const grid = svgToModuleGrid(renderQrSvg(url));
      const { data, width, height } = gridToRgba(grid, 4);
      expect(jsQR(data, width, height)?.data).toBe(url);
    }
  });

  it('keeps a 4-module quiet zone inside its own viewBox', () => {
    const grid = svgToModuleGrid(renderQrSvg(codeUrl(COUNTY_BASE, 'ABC234')));
    const q = QR_QUIET_ZONE_MODULES;
    for (let row = 0; row < grid.total; row++) {
      for (let col = 0; col < grid.total; col++) {
        const inQuietZone = row < q || col < q || row >= grid.total - q || col >= grid.total - q;
        if (inQuietZone) expect(grid.dark[row][col], `module ${row},${col}`).toBe(false);
      }
    }
    // The finder pattern's corner sits right after the quiet zone.
    expect(grid.dark[q][q]).toBe(true);
  });

  it('uses error correction level Q so worn posters still scan', () => {
    for (const code of CODES) {
      const grid = svgToModuleGrid(renderQrSvg(codeUrl(COUNTY_BASE, code)));
      expect(errorCorrectionBits(grid)).toBe(0b11);
    }
  });

  it('reads the error correction level right (checked on library symbols of every level)', () => {
    const url = codeUrl(COUNTY_BASE, 'ABC234');
    const q = QR_QUIET_ZONE_MODULES;
    for (const [level, bits] of [
      ['L', 0b01],
      ['M', 0b00],
      ['Q', 0b11],
      ['H', 0b10],
    ] as const) {
      const { size, data } = QRCode.create(url, { errorCorrectionLevel: level }).modules;
      const total = size + 2 * q;
      const dark = Array.from({ length: total }, (_, row) =>
        Array.from({ length: total }, (_, col) => {
          const r = row - q;
          const c = col - q;
          return r >= 0 && c >= 0 && r < size && c < size && data[r * size + c] === 1;
        }),
      );
      expect(errorCorrectionBits({ total, dark }), level).toBe(bits);
    }
  });

  it('still decodes with a strip of modules across the middle flipped (tape on a worn poster)', () => {
    const url = codeUrl(COUNTY_BASE, 'ABC234');
    const grid = svgToModuleGrid(renderQrSvg(url));
    const q = QR_QUIET_ZONE_MODULES;
    const size = grid.total - 2 * q;
    const row0 = q + Math.floor(size / 2) - 1;
    for (let row = row0; row < row0 + 3; row++) {
      for (let col = q + 8; col < q + size - 8; col++) grid.dark[row][col] = !grid.dark[row][col];
    }
    const { data, width, height } = gridToRgba(grid, 4);
    expect(jsQR(data, width, height)?.data).toBe(url);
  });

  it('is black on white and scales freely (viewBox, no fixed size)', () => {
    const svg = renderQrSvg(codeUrl(COUNTY_BASE, 'ABC234'));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('fill="#fff"');
    expect(svg).toContain('fill="#000"');
    expect(svg.endsWith('</svg>')).toBe(true);
  });

  it('escapes an optional title', () => {
    const svg = renderQrSvg(codeUrl(COUNTY_BASE, 'ABC234'), { title: '评议码 <b>&"x"' });
    expect(svg).toContain('<title>评议码 &lt;b&gt;&amp;&quot;x&quot;</title>');
    svgToModuleGrid(svg);
  });

  it('is the very symbol the qrcode library would build for that URL (same mask choice)', () => {
    const bases = ['http://localhost:3000', COUNTY_BASE, 'https://a.cn', 'http://192.168.10.20:8080/pingyi/hall-3'];
    let n = 0;
    for (const base of bases) {
      for (let k = 0; k < 60; k++) {
        const url = codeUrl(base, `C${(k * 7919).toString(36).toUpperCase()}X${k}`);
        const ours = createQrSymbol(url);
        const lib = QRCode.create([{ data: new TextEncoder().encode(url), mode: 'byte' }], { errorCorrectionLevel: 'Q' });
        expect(ours.maskPattern, url).toBe(lib.maskPattern);
        expect(Buffer.from(ours.modules.data).equals(Buffer.from(lib.modules.data)), url).toBe(true);
        n++;
      }
    }
    expect(n).toBe(240);
  });
});

describe('renderQrPng', () => {
  it.each(CODES)('decodes to exactly the contract URL for code %s', async (code) => {
    for (const base of ['http://localhost:3000', COUNTY_BASE]) {
      const url = codeUrl(base, code);
      const { img, text } = decodePng(await renderQrPng(url, QR_PNG_DEFAULT));
      expect([img.width, img.height]).toEqual([QR_PNG_DEFAULT, QR_PNG_DEFAULT]);
      expect(text).toBe(url);
    }
  });

  it.each([QR_PNG_MIN, 333, 1000, QR_PNG_MAX])('is exactly %i px and decodes at that size', async (size) => {
    const url = codeUrl(COUNTY_BASE, 'K7M9PQ');
    const { img, text } = decodePng(await renderQrPng(url, size));
    expect([img.width, img.height]).toEqual([size, size]);
    expect(text).toBe(url);
  });

  it('defaults to 600 px', async () => {
    const { img } = decodePng(await renderQrPng(codeUrl(COUNTY_BASE, 'ABC234')));
    expect(img.width).toBe(600);
  });

  it('carries the same symbol as the SVG, quiet zone included', async () => {
    const url = codeUrl(COUNTY_BASE, 'ABC234');
    const grid = svgToModuleGrid(renderQrSvg(url));
    const scale = 5;
    const size = grid.total * scale;
    expect(size).toBeGreaterThanOrEqual(QR_PNG_MIN);
    const img = PNG.sync.read(await renderQrPng(url, size));
    for (let row = 0; row < grid.total; row++) {
      for (let col = 0; col < grid.total; col++) {
        const p = ((row * scale + 2) * img.width + col * scale + 2) * 4;
        expect(img.data[p] < 128, `module ${row},${col}`).toBe(grid.dark[row][col]);
      }
    }
  });

  it('rejects sizes outside 128..2048 px with a RangeError', async () => {
    const url = codeUrl(COUNTY_BASE, 'ABC234');
    for (const bad of [0, QR_PNG_MIN - 1, QR_PNG_MAX + 1, 600.5, Number.NaN, Number.POSITIVE_INFINITY, -600]) {
      await expect(renderQrPng(url, bad)).rejects.toBeInstanceOf(RangeError);
    }
  });
});
