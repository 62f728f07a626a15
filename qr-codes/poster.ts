/**
 * A4 print sheets of code posters, 4 per page. Plain string building: a county prints all 308 codes
 * at once, and the sheet must print offline, so nothing here loads fonts, images or scripts.
 */

export const POSTERS_PER_PAGE = 4;

export interface PosterInput {
  code: string;
  departmentName: string;
  location: string;
  /** Set for 一人一码 codes that name the staff member serving at that window. */
  staffName?: string | null;
  /** Inserted verbatim: must be the trusted output of renderQrSvg, never text from a request. */
  qrSvg: string;
}

export interface PosterSheetInput {
  title?: string;
  posters: PosterInput[];
  cropMarks?: boolean;
  /** CSP nonce for the one inline <style>, for deployments whose CSP forbids inline styles. */
  styleNonce?: string;
  /**
   * URL of POSTER_CSS served as a file, linked after the inline <style>. A sheet opened from a blob:
   * URL inherits the CSP of the page that made it, which no nonce of the sheet's own can satisfy;
   * a same-origin stylesheet can.
   */
  stylesheetHref?: string;
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML/XML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

const DEFAULT_TITLE = '评议码海报';
const PROMISE_LINE = '您的评价我们必回应 · 差评必回访';

// Printable area of A4 with 8 mm margins is 194 × 281 mm; the page box is kept 1 mm shorter because
// browsers round mm to device pixels and a page a hair too tall spills a blank sheet after every page.
// The padding and the gap leave room outside each poster for crop marks (3.5 mm, 1 mm off the trim).
// Long admin-entered names shrink (and at worst clip) the text block above the QR, never the QR: it is
// the one part that must survive intact. Auto margins rather than centring, so an overlong block
// clips at its end and the 扫码评议 heading stays visible.
/** The sheet's print CSS, also served as a file for sheets that cannot use an inline style. */
export const POSTER_CSS = `
@page { size: A4; margin: 8mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #d9d9d9; color: #000;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
.toolbar { max-width: 194mm; margin: 6mm auto 0; padding: 3mm 4mm; background: #fff; border: 1px solid #999; font-size: 15px; line-height: 1.6; }
.toolbar h1 { margin: 0 0 1mm; font-size: 18px; }
.toolbar p { margin: 0; }
.page { width: 194mm; height: 280mm; margin: 6mm auto; padding: 5mm; background: #fff; overflow: hidden;
  display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); grid-template-rows: repeat(2, minmax(0, 1fr)); gap: 10mm; }
.page-break { break-after: page; page-break-after: always; }
.poster { position: relative; min-height: 0; display: flex; flex-direction: column; align-items: center; padding: 4mm 3mm;
  text-align: center; break-inside: avoid; page-break-inside: avoid; }
.poster-head { flex: 1 1 auto; min-height: 0; width: 100%; overflow: hidden;
  display: flex; flex-direction: column; align-items: center; }
.poster-head > * { flex: none; }
.poster-head > :first-child { margin-top: auto; }
.poster-head > :last-child { margin-bottom: auto; }
.poster-foot { flex: none; }
.cta { margin: 0; font-size: 14mm; line-height: 1.1; letter-spacing: 1mm; font-weight: 800; color: #b0001e; }
.dept { margin: 1mm 0 0; font-size: 6.5mm; line-height: 1.25; font-weight: 700; max-height: 16.5mm; overflow: hidden; overflow-wrap: anywhere; }
.loc { margin: 0.5mm 0 0; font-size: 4.6mm; line-height: 1.3; max-height: 12mm; overflow: hidden; overflow-wrap: anywhere; }
.staff { margin: 0.5mm 0 0; font-size: 4.2mm; line-height: 1.3; max-height: 11mm; overflow: hidden; overflow-wrap: anywhere; }
.qr { flex: none; width: 58mm; height: 58mm; margin: 1.5mm 0; }
.qr svg { display: block; width: 100%; height: 100%; }
.code { margin: 0; font-size: 5.5mm; line-height: 1.2; }
.code span { font-family: "DejaVu Sans Mono", Consolas, "Courier New", monospace; font-weight: 700; letter-spacing: 0.6mm; }
.promise { margin: 1mm 0 0; font-size: 4mm; line-height: 1.3; font-weight: 700; }
.crop { position: absolute; width: 0; height: 0; }
.crop::before, .crop::after { content: ""; position: absolute; border: 0 solid #000; }
.crop::before { width: 3.5mm; height: 0; top: -0.1mm; border-top-width: 0.2mm; }
.crop::after { width: 0; height: 3.5mm; left: -0.1mm; border-left-width: 0.2mm; }
.crop-tl { left: 0; top: 0; } .crop-tr { right: 0; top: 0; } .crop-bl { left: 0; bottom: 0; } .crop-br { right: 0; bottom: 0; }
.crop-tl::before, .crop-bl::before { right: 1mm; } .crop-tr::before, .crop-br::before { left: 1mm; }
.crop-tl::after, .crop-tr::after { bottom: 1mm; } .crop-bl::after, .crop-br::after { top: 1mm; }
@media print {
  body { background: none; }
  .toolbar { display: none; }
  .page { margin: 0; }
}
`;

const CROP_MARKS =
  '<span class="crop crop-tl"></span><span class="crop crop-tr"></span>' +
  '<span class="crop crop-bl"></span><span class="crop crop-br"></span>';

function renderPoster(p: PosterInput, cropMarks: boolean): string {
  if (typeof p.qrSvg !== 'string' || !p.qrSvg.startsWith('<svg')) {
    throw new TypeError(`poster ${String(p.code)}: qrSvg must be the SVG markup from renderQrSvg`);
  }
  const code = escapeHtml(p.code);
  const staff = p.staffName != null && p.staffName.trim() !== '' ? `<p class="staff">服务人员：${escapeHtml(p.staffName)}</p>` : '';
  return (
    `<article class="poster" data-code="${code}">` +
    (cropMarks ? CROP_MARKS : '') +
    '<div class="poster-head">' +
    '<h2 class="cta">扫码评议</h2>' +
    `<p class="dept">${escapeHtml(p.departmentName)}</p>` +
    `<p class="loc">${escapeHtml(p.location)}</p>` +
    staff +
    '</div>' +
    `<div class="qr" role="img" aria-label="评议码 ${code} 的二维码">${p.qrSvg}</div>` +
    '<div class="poster-foot">' +
    `<p class="code">评议码 <span>${code}</span></p>` +
    `<p class="promise">「${PROMISE_LINE}」</p>` +
    '</div></article>'
  );
}

/** A complete HTML document: the given posters on A4 pages, 2 × 2 per page, ready for Ctrl+P. */
export function renderPosterSheet(input: PosterSheetInput): string {
  const title = escapeHtml(input.title ?? DEFAULT_TITLE);
  const cropMarks = input.cropMarks === true;
  const posters = input.posters;
  const pageCount = Math.ceil(posters.length / POSTERS_PER_PAGE);
  const nonce = input.styleNonce === undefined ? '' : ` nonce="${escapeHtml(input.styleNonce)}"`;

  const pages: string[] = [];
  for (let page = 0; page < pageCount; page++) {
    const isLast = page === pageCount - 1;
    const cells = posters.slice(page * POSTERS_PER_PAGE, (page + 1) * POSTERS_PER_PAGE).map((p) => renderPoster(p, cropMarks));
    pages.push(`<section class="${isLast ? 'page' : 'page page-break'}">${cells.join('')}</section>`);
  }

  // Printing is left to the browser's own Ctrl+P: the CSP forbids inline script, and a print button
  // would need one.
  const summary =
    posters.length === 0
      ? '没有可打印的评议码。'
      : `共 ${posters.length} 张评议码，${pageCount} 页 A4。按 Ctrl+P（Mac 按 ⌘+P）打印：纸张 A4，缩放 100%（实际大小），关闭“页眉和页脚”。`;

  return (
    '<!DOCTYPE html>\n' +
    '<html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${title}</title>` +
    `<style${nonce}>${POSTER_CSS}</style>` +
    (input.stylesheetHref === undefined ? '' : `<link rel="stylesheet" href="${escapeHtml(input.stylesheetHref)}">`) +
    '</head><body>' +
    `<header class="toolbar"><h1>${title}</h1><p>${summary}</p></header>` +
    `<main>${pages.join('')}</main>` +
    '</body></html>\n'
  );
}
