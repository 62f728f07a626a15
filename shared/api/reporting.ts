import { type Static, Type } from 'typebox';
import { FileBytes, MonthString } from './common.js';

/** The month (Beijing time) and the org unit of an upward-report export. */
export const ReportQuery = Type.Object({
  month: MonthString,
  orgUnitId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
});

export const ReportFileResponse = FileBytes('文件（流式下载）');

export const HeldRecordsResponse = Type.Object({
  total: Type.Integer({ description: '暂缓上报的记录数（缺少代码或省级系统会拒收）' }),
  reasons: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer() })),
  records: Type.Array(Type.Object({ recordId: Type.String(), ratingId: Type.Integer(), reasons: Type.Array(Type.String()) }), {
    description: '前 50 条',
  }),
});
export type HeldRecordsResponse = Static<typeof HeldRecordsResponse>;
