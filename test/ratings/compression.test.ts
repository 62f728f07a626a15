import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTestWorld } from '../helpers/factories.js';

const { t, w } = useTestWorld({ env: { CLIENT_DIR: 'dist/client' } });
describe('compression for weak signal', () => {
  it('serves the citizen page gzipped when the phone accepts it, within the 12 KB budget on the wire', async () => {
    const res = await t.app.inject({ url: `/r/${w.codeA.id}`, headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.rawPayload.length).toBeLessThanOrEqual(12 * 1024);
    expect(gunzipSync(res.rawPayload).toString()).toContain(w.deptA.name);
  });

  it('answers uncompressed to a client that does not ask for it', async () => {
    const res = await t.app.inject({ url: `/r/${w.codeA.id}`, headers: { 'accept-encoding': 'identity' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toContain(w.deptA.name);
  });
});
