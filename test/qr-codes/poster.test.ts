import { describe, expect, it } from 'vitest';
import type { PosterInput } from '../../qr-codes/index';
import { CODE_ID_ALPHABET, codeUrl, escapeHtml, POSTER_CSS, POSTERS_PER_PAGE, renderPosterSheet, renderQrSvg } from '../../qr-codes/index';

const BASE = 'https://pingyi.example.gov.cn:8443/county';

function makePoster(overrides: Partial<PosterInput> = {}): PosterInput {
  const code = overrides.code ?? 'ABC234';
  return {
    code,
    departmentName: '县市场监督管理局',
    location: '政务服务中心 12号窗口',
    staffName: null,
    qrSvg: renderQrSvg(codeUrl(BASE, code)),
    ...overrides,
  };
}

// Distinct, well-formed codes: i written in base 31 over the code alphabet.
function codeFor(i: number): string {
  let code = '';
  for (let k = 0; k < 6; k++, i = Math.floor(i / 31)) code = CODE_ID_ALPHABET[i % 31] + code;
  return code;
}

function makePosters(n: number): PosterInput[] {
  const svg = renderQrSvg(codeUrl(BASE, 'ABC234'));
  return Array.from({ length: n }, (_, i) => ({
    code: codeFor(i),
    departmentName: `第${i + 1}部门`,
    location: `政务服务中心 ${i + 1}号窗口`,
    staffName: i % 2 === 0 ? `工作人员${i + 1}` : null,
    qrSvg: svg,
  }));
}

// The sheet's pages, each as the list of poster codes it holds, read back from the markup.
function pagesOf(html: string): Array<{ classes: string; codes: string[] }> {
  return [...html.matchAll(/<section class="([^"]*)">(.*?)<\/section>/gs)].map((m) => ({
    classes: m[1],
    codes: [...m[2].matchAll(/<article class="poster" data-code="([^"]*)">/g)].map((a) => a[1]),
  }));
}

describe('escapeHtml', () => {
  it('escapes the five characters that can open markup or leave an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeHtml('政务服务中心 3号窗口')).toBe('政务服务中心 3号窗口');
  });
});

describe('renderPosterSheet', () => {
  it('is a complete zh-CN HTML5 document with A4 print CSS', () => {
    const html = renderPosterSheet({ posters: [makePoster()] });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/@page \{ size: A4; margin: 8mm; \}/);
    expect(html).toContain('break-inside: avoid');
    expect(html).toContain('@media print');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('shows every poster with its code, department, location, QR, call to action and promise', () => {
    const posters = [
      makePoster({ code: 'ABC234', departmentName: '县公安局', location: '政务服务中心 1号窗口' }),
      makePoster({ code: 'XYZ789', departmentName: '县税务局', location: '政务服务中心 2号窗口', staffName: '李四' }),
      makePoster({ code: 'K7M9PQ', departmentName: '县医保局', location: '二楼 医保专区' }),
    ];
    const html = renderPosterSheet({ posters });
    for (const p of posters) {
      expect(html).toContain(`评议码 <span>${p.code}</span>`);
      expect(html).toContain(`>${p.departmentName}<`);
      expect(html).toContain(`>${p.location}<`);
      expect(html).toContain(p.qrSvg);
    }
    expect(html).toContain('李四');
    expect(html.match(/扫码评议/g)?.length).toBe(posters.length);
    expect(html.match(/差评必回访/g)?.length).toBe(posters.length);
    expect(html).toContain('「您的评价我们必回应 · 差评必回访」');
    expect(html.match(/<svg /g)?.length).toBe(posters.length);
  });

  it('shows a staff line only for 一人一码 codes', () => {
    const withStaff = renderPosterSheet({ posters: [makePoster({ staffName: '王五' })] });
    const without = renderPosterSheet({ posters: [makePoster({ staffName: null }), makePoster({ staffName: '  ' })] });
    expect(withStaff).toContain('<p class="staff">服务人员：王五</p>');
    expect(without).not.toContain('<p class="staff">');
  });

  it('escapes every admin-entered value so none can inject markup', () => {
    const evil = '<script>alert(1)</script>';
    const html = renderPosterSheet({
      title: `海报${evil}`,
      posters: [
        makePoster({
          code: 'ABC234"><img src=x onerror=alert(1)>',
          departmentName: `局<b onmouseover="x">`,
          location: `大厅${evil}`,
          staffName: `张三${evil}`,
        }),
      ],
    });
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b ');
    expect(html).toContain('大厅&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('data-code="ABC234&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(html).toContain('<title>海报&lt;script&gt;');
  });

  it('puts 4 posters on each A4 page, with a page break between pages and none after the last', () => {
    for (const n of [1, 3, 4, 5, 8, 9, 308]) {
      const posters = makePosters(n);
      const pages = pagesOf(renderPosterSheet({ posters }));
      expect(pages.length, `${n} posters`).toBe(Math.ceil(n / POSTERS_PER_PAGE));
      expect(pages.flatMap((p) => p.codes)).toEqual(posters.map((p) => escapeHtml(p.code)));
      pages.forEach((page, i) => {
        const isLast = i === pages.length - 1;
        expect(page.codes.length).toBe(isLast ? n - POSTERS_PER_PAGE * i : POSTERS_PER_PAGE);
        expect(page.classes.split(' ').includes('page-break')).toBe(!isLast);
      });
    }
    const html = renderPosterSheet({ posters: makePosters(9) });
    expect(html).toMatch(/\.page-break \{ break-after: page; page-break-after: always; \}/);
    expect(html.match(/class="page page-break"/g)?.length).toBe(2);
  });

  it('adds crop marks (4 per poster) only when asked', () => {
    const posters = makePosters(5);
    expect(renderPosterSheet({ posters }).match(/class="crop /g)).toBeNull();
    expect(renderPosterSheet({ posters, cropMarks: true }).match(/class="crop /g)?.length).toBe(20);
  });

  it('loads nothing from outside and runs no script, so it prints offline under a strict CSP', () => {
    const html = renderPosterSheet({ posters: makePosters(6), cropMarks: true });
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|src=|href=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).toContain('Ctrl+P');
  });

  it('links the same CSS as a file when given a stylesheet URL (for sheets opened from blob: URLs)', () => {
    const html = renderPosterSheet({ posters: [makePoster()], stylesheetHref: '/api/posters.css?v=1&x="' });
    expect(html).toContain('<link rel="stylesheet" href="/api/posters.css?v=1&amp;x=&quot;">');
    expect(html).toContain(POSTER_CSS);
    expect(renderPosterSheet({ posters: [makePoster()] })).not.toContain('<link');
  });

  it('sets a CSP nonce on its style when given one', () => {
    const html = renderPosterSheet({ posters: [makePoster()], styleNonce: 'n0nce"x' });
    expect(html).toContain('<style nonce="n0nce&quot;x">');
  });

  it('renders an empty sheet that says there is nothing to print', () => {
    const html = renderPosterSheet({ posters: [] });
    expect(pagesOf(html)).toHaveLength(0);
    expect(html).toContain('没有可打印的评议码');
  });

  it('refuses a qrSvg that is not SVG markup', () => {
    expect(() => renderPosterSheet({ posters: [makePoster({ qrSvg: 'https://example.com/qr.png' })] })).toThrow(TypeError);
  });

  it('builds a county sheet of 308 posters on 77 pages (speed is measured in bench/)', () => {
    const posters = makePosters(308);
    const html = renderPosterSheet({ posters, cropMarks: true });
    expect(pagesOf(html)).toHaveLength(77);
  });
});
