// What print.routes.ts serves: a code's QR image, the A4 poster sheets of a department or an org
// unit, and a department's ZIP of SVGs with a CSV list of its codes.
import JSZip from 'jszip';
import type { Db } from '../../../db/client.js';
import { type CodeWithDepartment, listCodesWithDepartment } from '../../../db/queries/codes.js';
import { NotFound } from '../../errors.js';
import { csvLine, csvQuoted, UTF8_BOM } from '../../lib/csv.js';
import type { Actor } from '../auth/actor.js';
import type { OrgService } from '../org/org.service.js';
import type { CodeLookup } from './code-lookup.js';
import type { PosterCode, QrImage, QrImages } from './codes.images.js';

const CODE_LIST_HEADER = ['评议码', '部门', '位置', '服务人员', '二维码网址'];

export function createCodePrint(deps: {
  db: Db;
  org: Pick<OrgService, 'getDepartment' | 'listOrgUnits' | 'departmentIdsUnder'>;
  lookup: Pick<CodeLookup, 'requirePublicInfo'>;
  images: QrImages;
}) {
  const { db, org, lookup, images } = deps;

  function posterCodes(rows: CodeWithDepartment[]): PosterCode[] {
    return rows.map((r) => ({ code: r.id, departmentName: r.departmentName, location: r.location, staffName: r.staffName ?? null }));
  }

  return {
    /** The QR as SVG. Disabled codes keep their image: it is printed already. */
    async qrSvg(raw: string): Promise<QrImage<string>> {
      return images.svg((await lookup.requirePublicInfo(raw)).code);
    },

    async qrPng(raw: string, size: number): Promise<QrImage<Buffer>> {
      return images.png((await lookup.requirePublicInfo(raw)).code, size);
    },

    /** The A4 print sheet of a department's active codes (disabled codes are left out). */
    async departmentPosters(actor: Actor, departmentId: number, sheet: { styleNonce?: string } = {}): Promise<string> {
      const department = await org.getDepartment(actor, departmentId);
      const rows = await listCodesWithDepartment(db, [departmentId], { active: true });
      return images.posterSheet(`${department.name} · 评议码海报`, posterCodes(rows), sheet);
    },

    /** The print sheet of every active code of an org unit (a whole county: 308 posters) in scope. */
    async orgUnitPosters(actor: Actor, orgUnitId: number, sheet: { styleNonce?: string } = {}): Promise<string> {
      const unit = (await org.listOrgUnits(actor)).find((u) => u.id === orgUnitId);
      if (!unit) throw new NotFound('组织单位不存在');
      const rows = await listCodesWithDepartment(db, await org.departmentIdsUnder(actor, unit.id), { active: true });
      return images.posterSheet(`${unit.name} · 评议码海报`, posterCodes(rows), sheet);
    },

    /** A ZIP of the department's active codes as SVG files, with a CSV list of what each code is. */
    async departmentSvgZip(actor: Actor, departmentId: number): Promise<{ filename: string; body: Buffer }> {
      const department = await org.getDepartment(actor, departmentId);
      const rows = await listCodesWithDepartment(db, [departmentId], { active: true });
      // Cells verbatim (csvQuoted, not csvText's ' prefix): the list must read exactly as the posters print.
      const csv =
        UTF8_BOM +
        csvLine(CODE_LIST_HEADER) +
        rows.map((r) => csvLine([r.id, r.departmentName, r.location, r.staffName ?? '', images.url(r.id)].map(csvQuoted))).join('');
      const zip = new JSZip();
      zip.file('评议码清单.csv', csv);
      for (const r of rows) zip.file(`${r.id}.svg`, images.svg(r.id).body);
      const body = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' });
      return { filename: `${department.name}-评议码.zip`, body };
    },
  };
}

export type CodePrint = ReturnType<typeof createCodePrint>;
