// 二维码墙 (#9: the high-frequency 事项 of a department on one wall): an A4 sheet of a department's
// guides, 12 a page, each its QR and its 事项 name, to print and hang. Plain string building, like the
// code posters (qr-codes/poster.ts): nothing loads fonts, images or scripts, so it prints offline.
import { createHash } from 'node:crypto';
import { escapeHtml } from '../../../qr-codes/index.js';

export const GUIDES_PER_PAGE = 12;

export const GUIDE_WALL_CSS = `
@page { size: A4; margin: 8mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #d9d9d9; color: #000;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
.toolbar { max-width: 194mm; margin: 6mm auto 0; padding: 3mm 4mm; background: #fff; border: 1px solid #999; font-size: 15px; line-height: 1.6; }
.toolbar h1 { margin: 0 0 1mm; font-size: 18px; }
.toolbar p { margin: 0; }
.page { width: 194mm; height: 280mm; margin: 6mm auto; padding: 4mm; background: #fff; overflow: hidden; display: flex; flex-direction: column; }
.page-break { break-after: page; page-break-after: always; }
.wall-head { flex: none; margin: 0 0 3mm; text-align: center; }
.wall-head h2 { margin: 0; font-size: 8mm; letter-spacing: 0.8mm; color: #0b4f9c; }
.wall-head p { margin: 1mm 0 0; font-size: 4.2mm; }
.grid { flex: 1 1 auto; min-height: 0; display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); grid-template-rows: repeat(4, minmax(0, 1fr)); gap: 3mm; }
.item { min-height: 0; display: flex; flex-direction: column; align-items: center; padding: 2mm; border: 0.3mm solid #0b4f9c; border-radius: 2mm;
  text-align: center; break-inside: avoid; page-break-inside: avoid; }
.item .qr { flex: none; width: 40mm; height: 40mm; }
.item .qr svg { display: block; width: 100%; height: 100%; }
.item h3 { flex: 1 1 auto; min-height: 0; margin: 1mm 0 0; font-size: 4.2mm; line-height: 1.3; overflow: hidden; overflow-wrap: anywhere; }
@media print {
  body { background: none; }
  .toolbar { display: none; }
  .page { margin: 0; }
}
`;

export const GUIDE_WALL_CSS_PATH = '/api/guide-wall.css';
export const GUIDE_WALL_CSS_VERSION = createHash('sha256').update(GUIDE_WALL_CSS).digest('hex').slice(0, 12);

export interface GuideWallInput {
  title: string;
  departmentName: string;
  /** `qrSvg` is inserted verbatim: the trusted output of renderQrSvg, never text from a request. */
  items: Array<{ taskName: string; url: string; qrSvg: string }>;
  styleNonce?: string;
}

export function renderGuideWall(input: GuideWallInput): string {
  const title = escapeHtml(input.title);
  const nonce = input.styleNonce === undefined ? '' : ` nonce="${escapeHtml(input.styleNonce)}"`;
  const pageCount = Math.ceil(input.items.length / GUIDES_PER_PAGE);
  const pages: string[] = [];
  for (let page = 0; page < pageCount; page++) {
    const cells = input.items
      .slice(page * GUIDES_PER_PAGE, (page + 1) * GUIDES_PER_PAGE)
      .map(
        (item) =>
          `<article class="item" data-url="${escapeHtml(item.url)}">` +
          `<div class="qr" role="img" aria-label="${escapeHtml(item.taskName)} 办事指南二维码">${item.qrSvg}</div>` +
          `<h3>${escapeHtml(item.taskName)}</h3></article>`,
      );
    pages.push(
      `<section class="${page === pageCount - 1 ? 'page' : 'page page-break'}">` +
        `<header class="wall-head"><h2>扫码看办事指南</h2><p>${escapeHtml(input.departmentName)} · 材料、流程、时限、收费一扫便知</p></header>` +
        `<div class="grid">${cells.join('')}</div></section>`,
    );
  }
  const summary =
    input.items.length === 0
      ? '该部门还没有办事指南。'
      : `共 ${input.items.length} 项办事指南，${pageCount} 页 A4。按 Ctrl+P（Mac 按 ⌘+P）打印：纸张 A4，缩放 100%，关闭“页眉和页脚”。`;
  return (
    '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${title}</title><style${nonce}>${GUIDE_WALL_CSS}</style>` +
    `<link rel="stylesheet" href="${GUIDE_WALL_CSS_PATH}?v=${GUIDE_WALL_CSS_VERSION}">` +
    `</head><body><header class="toolbar"><h1>${title}</h1><p>${summary}</p></header><main>${pages.join('')}</main></body></html>\n`
  );
}
