// The 评价器 (kiosk) module: an administrator provisions a window's tablet (its own credential in its
// address), lists and revokes them; the tablet learns about its window, is told of each 办件 finished
// there (kiosk-feed.ts) and rates it, bound to the 办件 with channel kiosk (docs/domain.md, 评价器).
import { createHash } from 'node:crypto';
import type { Db } from '../../../db/client.js';
import { insertAudit } from '../../../db/queries/audit.js';
import * as q from '../../../db/queries/kiosks.js';
import { renderQrSvg } from '../../../qr-codes/index.js';
import type { KioskCreatedT, KioskInfoT, KioskListT, KioskRatingBodyT, KioskViewT } from '../../../shared/api/kiosks.js';
import { Conflict, Gone, NotFound, Unauthorized } from '../../errors.js';
import type { Clock, RandomSource } from '../../lib/clock.js';
import type { Logger } from '../../lib/logger.js';
import type { Actor } from '../auth/actor.js';
import type { CodesService } from '../codes/codes.service.js';
import type { RatingsService, SubmitResult } from '../ratings/ratings.service.js';
import type { SettingsService } from '../settings/settings.service.js';
import { createKioskFeed, type KioskFeedOptions, type KioskListener } from './kiosk-feed.js';

/** 192 random bits: unguessable, and short enough for a QR a tablet's camera reads at arm's length. */
const TOKEN_BYTES = 24;

/** A connected tablet is noted about once a minute (kiosk-feed.ts): seen in the last 3 minutes is online. */
const ONLINE_MS = 3 * 60_000;

const tokenHashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** What a tablet's address leads to: its kiosk, or why it no longer works. */
export type KioskState = 'ok' | 'unknown' | 'revoked' | 'disabled';

const unknownKiosk = () => new Unauthorized('评价器地址无效，请联系管理员重新开通', 'UnknownKiosk');
const revokedKiosk = () => new Unauthorized('此评价器已被管理员停用，请联系管理员重新开通', 'KioskRevoked');
const codeDisabled = () => new Gone('此窗口的评议码已停用，评价器暂停使用', 'CodeDisabled');
const kioskNotFound = () => new NotFound('评价器不存在', 'KioskNotFound');
const codeNotFound = () => new NotFound('评议码不存在', 'CodeNotFound');

export function createKiosksService(deps: {
  db: Db;
  clock: Clock;
  random: RandomSource;
  log: Logger;
  codes: Pick<CodesService, 'getPublicInfo'>;
  settings: Pick<SettingsService, 'forDepartment'>;
  ratings: Pick<RatingsService, 'submitAtKiosk'>;
  publicBaseUrl: string;
  feed?: KioskFeedOptions;
}) {
  const { db, clock, random, codes, settings, ratings } = deps;
  const feed = createKioskFeed({ db, clock, log: deps.log, ...deps.feed });

  /** A code in the actor's scope, or NotFound (never revealing that it exists elsewhere). */
  async function scopedCode(actor: Actor, raw: string) {
    const info = await codes.getPublicInfo(raw);
    if (!info || !actor.departmentIds.has(info.departmentId)) throw codeNotFound();
    return info;
  }

  function view(r: q.KioskRow): KioskViewT {
    return {
      online: r.revokedAt === null && r.lastSeenAt !== null && clock.now() - r.lastSeenAt < ONLINE_MS,
      id: r.id,
      code: r.codeId,
      createdAt: r.createdAt,
      createdByName: r.createdByName,
      lastSeenAt: r.lastSeenAt,
      revokedAt: r.revokedAt,
    };
  }

  function stateOf(k: q.KioskCredential | undefined): KioskState {
    if (!k) return 'unknown';
    if (k.revokedAt !== null) return 'revoked';
    return k.codeActive ? 'ok' : 'disabled';
  }

  /** The tablet's credential, read from the database on every call: a revocation holds at once, on every instance. */
  async function authenticate(token: string): Promise<q.KioskCredential> {
    const k = token.length <= 128 ? await q.findKioskByTokenHash(db, tokenHashOf(token)) : undefined;
    const state = stateOf(k);
    if (state === 'unknown') throw unknownKiosk();
    if (state === 'revoked') throw revokedKiosk();
    if (state === 'disabled') throw codeDisabled();
    return k!;
  }

  return {
    /** POST /api/codes/{code}/kiosk: a new tablet for the window; its address is shown this once. */
    async provision(actor: Actor, rawCode: string): Promise<KioskCreatedT> {
      const code = await scopedCode(actor, rawCode);
      if (!code.active) throw new Conflict('该评议码已停用，不能开通评价器：请先启用评议码', 'CodeDisabled');
      const token = Buffer.from(random.bytes(TOKEN_BYTES)).toString('base64url');
      const now = clock.now();
      const { id } = await db.transaction(async (tx) => {
        const row = await q.insertKiosk(tx, { codeId: code.code, tokenHash: tokenHashOf(token), createdBy: actor.id, createdAt: now });
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'kiosk.create',
          targetType: 'kiosk',
          targetId: String(row.id),
          detail: { code: code.code },
        });
        return row;
      });
      const url = `${deps.publicBaseUrl.replace(/\/+$/, '')}/k/${token}`;
      const row = (await q.findKioskById(db, id))!;
      return { ...view(row), url, qrSvg: renderQrSvg(url, { title: `评价器地址（${code.location}）` }) };
    },

    /** GET /api/codes/{code}/kiosks. */
    async list(actor: Actor, rawCode: string): Promise<KioskListT> {
      const code = await scopedCode(actor, rawCode);
      return { kiosks: (await q.listKiosksOfCode(db, code.code)).map(view) };
    },

    /** DELETE /api/kiosks/{id}: the tablet's page, stream and ratings answer 401 from now on. Revoking twice is a no-op. */
    async revoke(actor: Actor, id: number): Promise<void> {
      const row = await q.findKioskById(db, id);
      if (!row) throw kioskNotFound();
      const code = await codes.getPublicInfo(row.codeId);
      if (!code || !actor.departmentIds.has(code.departmentId)) throw kioskNotFound();
      const now = clock.now();
      await db.transaction(async (tx) => {
        if (!(await q.revokeKiosk(tx, id, now))) return;
        await insertAudit(tx, {
          at: now,
          userId: actor.id,
          action: 'kiosk.revoke',
          targetType: 'kiosk',
          targetId: String(id),
          detail: { code: row.codeId },
        });
      });
    },

    /** What the address `/k/{token}` leads to (the page says why it does not work). */
    async state(token: string): Promise<KioskState> {
      return stateOf(token.length <= 128 ? await q.findKioskByTokenHash(db, tokenHashOf(token)) : undefined);
    },

    authenticate,

    /** GET /api/k/{token}: the window the tablet stands at, and the reasons its county offers. */
    async info(kiosk: q.KioskCredential): Promise<KioskInfoT> {
      return {
        code: kiosk.codeId,
        departmentName: kiosk.departmentName,
        location: kiosk.location,
        staffName: kiosk.staffName,
        tags: (await settings.forDepartment(kiosk.departmentId)).tags,
      };
    },

    /** Tells a connected tablet of the 办件 finished at its window; answers the function that stops it. */
    subscribe(kiosk: q.KioskCredential, listener: KioskListener): () => void {
      return feed.subscribe(kiosk.id, listener);
    },

    /** Ends every tablet's stream (the server is closing). */
    closeStreams(): void {
      feed.close();
    },

    /**
     * POST /api/k/{token}/ratings: the 办件 must have been finished at the tablet's window (any other is
     * unknown here: a tablet cannot rate another window's 办件).
     */
    async rate(token: string, body: KioskRatingBodyT, ip: string, userAgent: string): Promise<SubmitResult> {
      const kiosk = await authenticate(token);
      const { projectNo, ...rating } = body;
      return ratings.submitAtKiosk({ projectNo, codeId: kiosk.codeId, body: rating, ip, userAgent });
    },
  };
}

export type KiosksService = ReturnType<typeof createKiosksService>;
