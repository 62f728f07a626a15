// 办事指南 (docs/domain.md, 办事指南): a guide per 事项, public to everyone (the /g/{id} page, the list, the
// QR), written by administrators within their scope. Every saved text is kept with who saved it and
// when (guide_versions); a restore saves an old text again as the newest version.
import { createHash } from 'node:crypto';
import type { Db } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/guides.js';
import { renderQrSvg } from '../../../qr-codes/index.js';
import type { GuideBodyT, GuideListT, GuideT, GuideUpdateBodyT, GuideVersionsT, GuideVersionT } from '../../../shared/api/guides.js';
import { BadRequest, Conflict, NotFound } from '../../errors.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor } from '../auth/actor.js';
import type { CodesService } from '../codes/codes.service.js';
import { renderGuideWall } from './guide-wall.js';

const guideNotFound = () => new NotFound('办事指南不存在', 'GuideNotFound');

/** The URL a guide's QR encodes (docs/api.md): `{PUBLIC_BASE_URL}/g/{id}`. */
export function guideUrl(publicBaseUrl: string, id: number): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/g/${id}`;
}

type Text = q.GuideText;
type VersionContent = GuideVersionT['guide'];

function textOf(body: GuideBodyT): Text {
  const trimmed = (list: string[]) => list.map((s) => s.trim()).filter(Boolean);
  const taskName = body.taskName.trim();
  if (!taskName) throw new BadRequest('请填写事项名称', 'TaskNameRequired');
  return {
    departmentId: body.departmentId,
    taskCode: body.taskCode?.trim() || null,
    taskName,
    materials: JSON.stringify(trimmed(body.materials)),
    steps: JSON.stringify(trimmed(body.steps)),
    legalDays: body.legalDays,
    promisedDays: body.promisedDays,
    fees: body.fees.trim(),
    legalBasis: body.legalBasis.trim(),
    location: body.location.trim(),
    hours: body.hours.trim(),
    phone: body.phone.trim(),
  };
}

function contentOf(text: Text, codes: readonly string[]): VersionContent {
  const { materials, steps, ...rest } = text;
  return { ...rest, materials: JSON.parse(materials) as string[], steps: JSON.parse(steps) as string[], codes: [...codes] };
}

export function createGuidesService(deps: { db: Db; clock: Clock; codes: Pick<CodesService, 'getPublicInfo'>; publicBaseUrl: string }) {
  const { db, clock } = deps;
  const qrs = new Map<number, { body: string; etag: string }>();

  async function requireGuide(id: number): Promise<q.GuideWithDepartment> {
    const row = await q.findGuide(db, id);
    if (!row) throw guideNotFound();
    return row;
  }

  /** A guide the administrator may edit: its department in their scope (another's is as if missing). */
  async function scopedGuide(actor: Actor, id: number): Promise<q.GuideWithDepartment> {
    const row = await requireGuide(id);
    if (!actor.departmentIds.has(row.departmentId)) throw guideNotFound();
    return row;
  }

  /** The windows named, upper-cased and deduplicated: each must exist and be in the actor's scope. */
  async function checkedCodes(actor: Actor, body: GuideBodyT): Promise<string[]> {
    if (!actor.departmentIds.has(body.departmentId)) throw new BadRequest('部门不存在或不在您的管理范围内', 'UnknownDepartment');
    const wanted = [...new Set(body.codes.map((c) => c.trim().toUpperCase()))];
    const found = new Map((await q.codesByIds(db, wanted)).map((c) => [c.id, c.departmentId]));
    const bad = wanted.filter((c) => !actor.departmentIds.has(found.get(c) ?? -1));
    if (bad.length) throw new BadRequest(`评议码不存在或不在您的管理范围内：${bad.join('、')}`, 'UnknownCode');
    return wanted;
  }

  async function view(row: q.GuideWithDepartment): Promise<GuideT> {
    const windows = (await q.listGuideWindows(db, row.id)).filter((w) => w.active);
    return {
      id: row.id,
      departmentId: row.departmentId,
      departmentName: row.departmentName,
      taskCode: row.taskCode,
      taskName: row.taskName,
      materials: JSON.parse(row.materials) as string[],
      steps: JSON.parse(row.steps) as string[],
      legalDays: row.legalDays,
      promisedDays: row.promisedDays,
      fees: row.fees,
      legalBasis: row.legalBasis,
      location: row.location,
      hours: row.hours,
      phone: row.phone,
      windows: windows.map(({ code, location, departmentName }) => ({ code, location, departmentName })),
      version: row.version,
      updatedAt: row.updatedAt,
    };
  }

  /** Saves a text as the guide's next version (from `fromVersion`), its windows and its history row. */
  async function save(actor: Actor, id: number, text: Text, codes: string[], fromVersion: number, action: string): Promise<GuideT> {
    const now = clock.now();
    await db.transaction(async (tx) => {
      if (!(await q.updateGuide(tx, id, text, fromVersion, now))) {
        throw new Conflict('该指南已被他人修改，请刷新后再编辑', 'GuideChanged');
      }
      await q.setGuideCodes(tx, id, codes);
      const content = JSON.stringify(contentOf(text, codes));
      await q.insertGuideVersion(tx, { guideId: id, version: fromVersion + 1, content, editedBy: actor.id, editedAt: now });
      await insertAudit(tx, {
        at: now,
        userId: actor.id,
        action,
        targetType: 'guide',
        targetId: String(id),
        detail: { version: fromVersion + 1 },
      });
    });
    return view(await requireGuide(id));
  }

  /** The guide's QR (SVG): its URL never changes, so neither does the image. */
  function qrImage(id: number): { body: string; etag: string } {
    let image = qrs.get(id);
    if (!image) {
      const body = renderQrSvg(guideUrl(deps.publicBaseUrl, id));
      image = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      if (qrs.size > 5000) qrs.clear();
      qrs.set(id, image);
    }
    return image;
  }

  return {
    /** GET /api/guides: every guide (of a department, of a window), unless limited. */
    async list(f: { departmentId?: number; code?: string; limit?: number }): Promise<GuideListT> {
      const codeId = f.code?.trim().toUpperCase();
      return { guides: await q.listGuides(db, { departmentId: f.departmentId, codeId, limit: f.limit }) };
    },

    async get(id: number): Promise<GuideT> {
      return view(await requireGuide(id));
    },

    /** The guide, or null (the /g/ page answers 404 with a page of its own). */
    async find(id: number): Promise<GuideT | null> {
      const row = await q.findGuide(db, id);
      return row ? view(row) : null;
    },

    async create(actor: Actor, body: GuideBodyT): Promise<GuideT> {
      const text = textOf(body);
      const codes = await checkedCodes(actor, body);
      const now = clock.now();
      const id = await db.transaction(async (tx) => {
        const id = await q.insertGuide(tx, text, now);
        await q.setGuideCodes(tx, id, codes);
        await q.insertGuideVersion(tx, {
          guideId: id,
          version: 1,
          content: JSON.stringify(contentOf(text, codes)),
          editedBy: actor.id,
          editedAt: now,
        });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'guide.create',
          targetType: 'guide',
          targetId: String(id),
          detail: null,
        });
        return id;
      });
      return view(await requireGuide(id));
    },

    /** A new text over `body.version`; the department may change to another in scope. */
    async update(actor: Actor, id: number, body: GuideUpdateBodyT): Promise<GuideT> {
      await scopedGuide(actor, id);
      const text = textOf(body);
      const codes = await checkedCodes(actor, body);
      return save(actor, id, text, codes, body.version, 'guide.update');
    },

    async versions(actor: Actor, id: number): Promise<GuideVersionsT> {
      await scopedGuide(actor, id);
      const rows = await q.listGuideVersions(db, id);
      return {
        versions: rows.map((r) => ({
          version: r.version,
          editedAt: r.editedAt,
          editedByName: r.editedByName ?? '系统',
          guide: JSON.parse(r.content) as VersionContent,
        })),
      };
    },

    /**
     * Saves an old text again as the newest version. Its windows are restored too, except those that
     * left the actor's scope meanwhile (refused: the administrator picks them again).
     */
    async restore(actor: Actor, id: number, version: number): Promise<GuideT> {
      const current = await scopedGuide(actor, id);
      const old = await q.findGuideVersion(db, id, version);
      if (!old) throw new NotFound('该版本不存在', 'GuideVersionNotFound');
      const content = JSON.parse(old.content) as VersionContent;
      const body: GuideBodyT = content;
      return save(actor, id, textOf(body), await checkedCodes(actor, body), current.version, 'guide.restore');
    },

    /** The guide's QR (SVG), decoding to `{PUBLIC_BASE_URL}/g/{id}`. */
    async qrSvg(id: number): Promise<{ body: string; etag: string }> {
      await requireGuide(id);
      return qrImage(id);
    },

    /** The window a /g/ page names (`?code=`), when it is an active code: for the list of its guides. */
    async window(raw: string) {
      const info = await deps.codes.getPublicInfo(raw);
      return info?.active ? info : null;
    },

    /** 二维码墙: the A4 sheet of a department's guides, each with its QR and its 事项 name. */
    async wall(actor: Actor, departmentId: number, sheet: { styleNonce?: string }): Promise<string> {
      if (!actor.departmentIds.has(departmentId)) throw new NotFound('部门不存在', 'DepartmentNotFound');
      const rows = await q.listGuides(db, { departmentId });
      const departmentName = (await q.departmentName(db, departmentId)) ?? '';
      const items = rows.map((r) => ({ taskName: r.taskName, url: guideUrl(deps.publicBaseUrl, r.id), qrSvg: qrImage(r.id).body }));
      return renderGuideWall({ title: `${departmentName} · 办事指南二维码墙`, departmentName, items, ...sheet });
    },
  };
}

export type GuidesService = ReturnType<typeof createGuidesService>;
