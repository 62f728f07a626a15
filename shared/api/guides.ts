// 办事指南 (docs/api.md, 办事指南; docs/domain.md): one guide per 事项, public (the /g/{id} page, the list,
// the QR), edited by administrators with every saved text kept.
import { type Static, Type } from 'typebox';
import { Id, Nullable } from './common.js';

/** A guide's version number is a 32-bit integer column (PostgreSQL `integer`). */
const VERSION_MAX = 2147483647;

const line = (max: number, description: string) => Type.String({ maxLength: max, description });
const days = (description: string) => Nullable(Type.Integer({ minimum: 0, maximum: 365, description }));

/** What an administrator writes: the text of a guide and the windows that handle its 事项. */
export const GuideFields = {
  taskCode: Nullable(Type.String({ maxLength: 64, description: '事项编码（政务服务事项目录），可空' })),
  taskName: Type.String({ minLength: 1, maxLength: 100, description: '事项名称' }),
  materials: Type.Array(line(300, '一项申请材料'), { maxItems: 60, description: '申请材料' }),
  steps: Type.Array(line(300, '一步办理流程'), { maxItems: 30, description: '办理流程' }),
  legalDays: days('法定时限（工作日；0 为即办；null 为未规定）'),
  promisedDays: days('承诺时限（工作日；0 为即办）'),
  fees: line(500, '收费标准（常为“不收费”）'),
  legalBasis: line(2000, '设定依据'),
  location: line(300, '办理地点'),
  hours: line(200, '办理时间'),
  phone: line(100, '咨询电话（部门的公开服务电话）'),
};

export const GuideBody = Type.Object({
  departmentId: { ...Id, description: '主管部门' },
  ...GuideFields,
  codes: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 200, description: '办理该事项的窗口（评议码）' }),
});
export type GuideBodyT = Static<typeof GuideBody>;

/** PUT: the text as above and the version it was edited from (another administrator's save in between is 409). */
export const GuideUpdateBody = Type.Object({
  ...GuideBody.properties,
  version: Type.Integer({ minimum: 1, maximum: VERSION_MAX, description: '编辑所基于的版本号' }),
});
export type GuideUpdateBodyT = Static<typeof GuideUpdateBody>;

export const GuideWindow = Type.Object({
  code: Type.String(),
  location: Type.String(),
  departmentName: Type.String(),
});

/** A guide as everyone sees it (GET /api/guides/{id}); no personal data is in a guide. */
export const Guide = Type.Object({
  id: Type.Integer(),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  ...GuideFields,
  /** The active windows that handle it. */
  windows: Type.Array(GuideWindow),
  version: Type.Integer(),
  updatedAt: Type.Integer(),
});
export type GuideT = Static<typeof Guide>;

/** One line of GET /api/guides. */
export const GuideSummary = Type.Object({
  id: Type.Integer(),
  taskName: Type.String(),
  taskCode: Nullable(Type.String()),
  departmentId: Type.Integer(),
  departmentName: Type.String(),
  promisedDays: Nullable(Type.Integer()),
  updatedAt: Type.Integer(),
});

export const GuideListQuery = Type.Object({
  departmentId: Type.Optional(Id),
  code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '只列出该窗口办理的指南' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
export const GuideList = Type.Object({ guides: Type.Array(GuideSummary) });
export type GuideListT = Static<typeof GuideList>;

/** One saved text of a guide, who saved it and when. */
export const GuideVersion = Type.Object({
  version: Type.Integer(),
  editedAt: Type.Integer(),
  editedByName: Type.String({ description: '保存人（系统导入时为“系统”）' }),
  guide: Type.Object({ departmentId: Type.Integer(), ...GuideFields, codes: Type.Array(Type.String()) }),
});
export type GuideVersionT = Static<typeof GuideVersion>;
export const GuideVersions = Type.Object({ versions: Type.Array(GuideVersion) });
export type GuideVersionsT = Static<typeof GuideVersions>;

export const GuideVersionParam = Type.Object({
  id: Id,
  version: Type.Integer({ minimum: 1, maximum: VERSION_MAX }),
});
