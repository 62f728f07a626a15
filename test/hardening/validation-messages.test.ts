// Every schema violation is answered in Chinese naming what is wrong: a missing body says the body is
// missing (not "的类型不正确（应为 object）" with no field), a field's error names the field.
import { describe, expect, it } from 'vitest';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld();

describe('validation messages', () => {
  it('a POST without a body, or with an empty JSON body, says the body is missing', async () => {
    const rating = `/api/codes/${w.codeA.id}/ratings`;
    for (const req of [
      { url: rating },
      { url: '/api/auth/login' },
      { url: rating, headers: { 'content-type': 'application/json' } },
      { url: rating, payload: 'null', headers: { 'content-type': 'application/json' } },
    ]) {
      const res = await t.app.inject({ method: 'POST', ...req });
      expect(res.statusCode, JSON.stringify(req)).toBe(400);
      expect(res.json(), JSON.stringify(req)).toEqual({ error: expect.any(String), message: '请求体不能为空，应为 JSON 对象' });
    }
  });

  it('a body that is JSON but not an object says what it should be; field errors keep naming the field', async () => {
    const post = (payload: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/codes/${w.codeA.id}/ratings`,
        payload,
        headers: { 'content-type': 'application/json' },
      });
    for (const payload of ['[]', '5', '"score"']) {
      const res = await post(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'ValidationError', message: '请求内容应为 JSON 对象' });
    }
    expect((await post('{"score":"5"}')).json().message).toBe('评价等级的类型不正确（应为 integer）');
    expect((await post('{}')).json().message).toBe('请求内容缺少评价等级');
  });
});
