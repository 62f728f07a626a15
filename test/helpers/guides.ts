// A 办事指南 created through the API by an administrator, as the browser tests need one: a full guide
// of the world's department A at its window A, any field replaced by `over`.
import { expect } from 'vitest';
import { bearerFor } from './app.js';
import type { BrowserWorld } from './browser.js';

export async function makeGuide(s: BrowserWorld, over: Record<string, unknown> = {}): Promise<{ id: number }> {
  const res = await s.t.app.inject({
    method: 'POST',
    url: '/api/guides',
    headers: bearerFor(s.t.app, s.w.admin),
    payload: {
      departmentId: s.w.deptA.id,
      taskCode: null,
      taskName: '居民身份证换领',
      materials: ['居民户口簿', '原居民身份证', '未满十六周岁的，由监护人陪同办理'],
      steps: ['申请：携带材料到窗口', '受理：材料齐全的当场受理', '审核：户政民警审核', '办结：自受理之日起 20 个工作日内办结'],
      legalDays: 60,
      promisedDays: 20,
      fees: '20 元（工本费）',
      legalBasis: '《中华人民共和国居民身份证法》第十一条、第二十条',
      location: '县政务服务中心 A区（县公安局窗口）',
      hours: '周一至周五 上午 9:00–12:00，下午 13:30–17:00',
      phone: '0339-8210110',
      codes: [s.w.codeA.id],
      ...over,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: number };
}
