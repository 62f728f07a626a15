// The 评价器 (kiosk): a window's tablet that shows the rating screen of the 办件 just finished there
// (docs/api.md, 评价器; docs/domain.md). Provisioned by an administrator; the tablet holds its own
// credential, the token in its address (`/k/{token}`), and needs no login.
import { type Static, Type } from 'typebox';
import { PROJECT_NO_MAX } from '../domain.js';
import { Nullable } from './common.js';
import { RatingBody } from './ratings.js';

/** A kiosk's token as it appears in its address; anything else is an unknown kiosk (401). */
export const KioskTokenParam = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 128, description: '评价器凭据（地址中的令牌）' }),
});

/** What staff see of a kiosk (never its token: only its SHA-256 is stored). */
export const KioskView = Type.Object({
  id: Type.Integer(),
  code: Type.String({ description: '所在窗口的评议码' }),
  createdAt: Type.Integer(),
  createdByName: Type.String({ description: '开通人' }),
  lastSeenAt: Nullable(Type.Integer({ description: '平板最近一次连接（约每分钟更新）' })),
  revokedAt: Nullable(Type.Integer()),
  online: Type.Boolean({ description: '平板此刻在线：最近 3 分钟内连接过（未撤销）' }),
});
export type KioskViewT = Static<typeof KioskView>;

/** POST /api/codes/{code}/kiosk: the tablet's address, shown this once. */
export const KioskCreated = Type.Object({
  ...KioskView.properties,
  url: Type.String({ description: '{PUBLIC_BASE_URL}/k/{token}：平板打开的地址（含其凭据，只显示这一次）' }),
  qrSvg: Type.String({ description: '该地址的二维码（SVG），供平板扫码打开' }),
});
export type KioskCreatedT = Static<typeof KioskCreated>;

export const KioskList = Type.Object({ kiosks: Type.Array(KioskView) });
export type KioskListT = Static<typeof KioskList>;

/** GET /api/k/{token}: what the tablet's idle screen shows, and the reasons it offers. */
export const KioskInfo = Type.Object({
  code: Type.String(),
  departmentName: Type.String(),
  location: Type.String({ description: '窗口名称（评议码的位置）' }),
  staffName: Nullable(Type.String()),
  tags: Type.Object({ good: Type.Array(Type.String()), bad: Type.Array(Type.String()) }),
});
export type KioskInfoT = Static<typeof KioskInfo>;

/** The `matter` event of the kiosk's stream: the 办件 just finished at its window, not rated yet. */
export const KioskMatter = Type.Object({
  projectNo: Type.String(),
  taskName: Type.String(),
  departmentName: Type.String(),
  finishedAt: Type.String({ description: 'ISO-8601' }),
});
export type KioskMatterT = Static<typeof KioskMatter>;

/** POST /api/k/{token}/ratings: the rating body of a window code, and which 办件 it rates. */
export const KioskRatingBody = Type.Object(
  {
    ...RatingBody.properties,
    projectNo: Type.String({ minLength: 1, maxLength: PROJECT_NO_MAX, description: '办件编号（评价器收到的 matter 事件）' }),
  },
  { additionalProperties: true },
);
export type KioskRatingBodyT = Static<typeof KioskRatingBody>;
