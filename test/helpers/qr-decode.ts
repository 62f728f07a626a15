// Decoding of the QR images the server produces, shared by the qr-codes and codes tests.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { expect } from 'vitest';

export interface ModuleGrid {
  /** Modules per side, quiet zone included (the viewBox size). */
  total: number;
  dark: boolean[][];
}

// Rasterises the SVG from its own markup, so the tests below prove the SVG (not the library's other
// renderers) carries the URL. Understands exactly what renderQrSvg may emit: a white background rect
// and one black path made of axis-aligned closed rectangles (M/m, H/h, V/v, Z/z).
export function svgToModuleGrid(svg: string): ModuleGrid {
  const root = /^<svg\b([^>]*)>/.exec(svg);
  expect(root, 'starts with an <svg> tag').not.toBeNull();
  const attrs = root![1];
  expect(attrs).not.toMatch(/\swidth=/);
  expect(attrs).not.toMatch(/\sheight=/);
  const viewBox = /\sviewBox="0 0 (\d+) (\d+)"/.exec(attrs);
  expect(viewBox).not.toBeNull();
  const total = Number(viewBox![1]);
  expect(Number(viewBox![2])).toBe(total);

  const bg = /<rect width="(\d+)" height="(\d+)" fill="#fff"\/>/.exec(svg);
  expect(bg, 'white background over the whole viewBox').not.toBeNull();
  expect([Number(bg![1]), Number(bg![2])]).toEqual([total, total]);

  const paths = [...svg.matchAll(/<path fill="#000" d="([^"]*)"\/>/g)];
  expect(paths).toHaveLength(1);
  const tokens = paths[0][1].match(/[MmHhVvZz]|-?\d+(?:\.\d+)?/g) ?? [];

  const dark = Array.from({ length: total }, () => Array<boolean>(total).fill(false));
  let x = 0;
  let y = 0;
  let subpath: Array<[number, number]> = [];
  const closeSubpath = () => {
    expect(subpath.length).toBe(4);
    const xs = subpath.map((p) => p[0]);
    const ys = subpath.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    // A rectangle: every vertex is one of its four corners.
    for (const [px, py] of subpath) expect((px === x0 || px === x1) && (py === y0 || py === y1)).toBe(true);
    for (const v of [x0, x1, y0, y1]) expect(Number.isInteger(v)).toBe(true);
    for (let row = y0; row < y1; row++) for (let col = x0; col < x1; col++) dark[row][col] = true;
    subpath = [];
  };
  let i = 0;
  const num = () => Number(tokens[i++]);
  while (i < tokens.length) {
    const cmd = tokens[i++];
    switch (cmd) {
      case 'M':
        x = num();
        y = num();
        subpath = [[x, y]];
        break;
      case 'm':
        x += num();
        y += num();
        subpath = [[x, y]];
        break;
      case 'H':
        x = num();
        subpath.push([x, y]);
        break;
      case 'h':
        x += num();
        subpath.push([x, y]);
        break;
      case 'V':
        y = num();
        subpath.push([x, y]);
        break;
      case 'v':
        y += num();
        subpath.push([x, y]);
        break;
      case 'Z':
      case 'z':
        closeSubpath();
        break;
      default:
        throw new Error(`unexpected path token ${cmd}`);
    }
  }
  expect(subpath, 'every subpath is closed').toHaveLength(0);
  return { total, dark };
}

export function gridToRgba(grid: ModuleGrid, scale: number, extraQuietPx = 0) {
  const width = grid.total * scale + 2 * extraQuietPx;
  const data = new Uint8ClampedArray(width * width * 4).fill(255);
  for (let row = 0; row < grid.total; row++) {
    for (let col = 0; col < grid.total; col++) {
      if (!grid.dark[row][col]) continue;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const p = ((extraQuietPx + row * scale + dy) * width + extraQuietPx + col * scale + dx) * 4;
          data[p] = data[p + 1] = data[p + 2] = 0;
        }
      }
    }
  }
  return { data, width, height: width };
}

export function decodePng(png: Buffer) {
  const img = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(img.data.buffer, img.data.byteOffset, img.data.length), img.width, img.height);
  return { img, text: result?.data ?? null };
}

/** The text an SVG from renderQrSvg decodes to (rasterised from its own markup), or null. */
export function decodeSvg(svg: string, scale = 4): string | null {
  const { data, width, height } = gridToRgba(svgToModuleGrid(svg), scale);
  return jsQR(data, width, height)?.data ?? null;
}
