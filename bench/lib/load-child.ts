// The load generator, in its own process so that it never shares the server's event loop (2 cores:
// one for the server, one for autocannon). Receives a LoadSpec over IPC, answers with LoadResult.
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load.js';
import { ratingBodies } from './rating-bodies.js';

const TASKS = ['个体工商户设立登记', '居民身份证申领', '失业保险金申领', '住房公积金提取', '不动产登记资料查询'];

/** A 一窗受理 system's push of a 办件 finished just now (as its integration sends them). */
function matterPush(m: NonNullable<LoadSpec['matters']>, code: string, n: number, headers: Record<string, string>) {
  const now = Date.now();
  const k = n % TASKS.length;
  const body = {
    code,
    taskCode: `341122-000-${String(k + 1).padStart(4, '0')}`,
    taskName: TASKS[k],
    staffName: `经办人${n % 12}`,
    applicantType: 'person',
    status: 'finished',
    acceptedAt: new Date(now - 1800_000).toISOString(),
    finishedAt: new Date(now - 60_000).toISOString(),
    source: 'window',
  };
  return { path: `/api/matters/${m.prefix}${n}`, headers: { ...headers, 'x-api-key': m.apiKey }, body: JSON.stringify(body) };
}

function run(spec: LoadSpec): Promise<LoadResult> {
  const next = ratingBodies(spec.bodies);
  let n = 0;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) MicroMessenger/8.0.49',
  };
  return new Promise((resolve, reject) => {
    const cpu0 = process.cpuUsage();
    const instance = autocannon(
      {
        // autocannon takes several URLs (its types say one).
        url: spec.url as string,
        connections: spec.connections,
        ...(spec.amount ? { amount: spec.amount } : { duration: spec.duration }),
        ...(spec.sampleIntMs ? { sampleInt: spec.sampleIntMs } : {}),
        pipelining: 1,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const r = next();
              n++;
              const h =
                spec.networks > 1
                  ? { ...headers, 'x-forwarded-for': `10.${(n % spec.networks) >> 8}.${(n % spec.networks) & 255}.7` }
                  : headers;
              if (spec.matters) return { ...req, method: 'PUT', ...matterPush(spec.matters, r.code, n, h) };
              const path = spec.links ? `/api/e/${spec.links.prefix}${spec.links.from + n}/ratings` : `/api/codes/${r.code}/ratings`;
              return { ...req, method: 'POST', path, headers: h, body: r.body };
            },
          },
        ],
      },
      (err, result) => {
        if (err) return reject(err);
        const cpu = process.cpuUsage(cpu0);
        const byStatus: Record<string, number> = {};
        for (const [code, v] of Object.entries(result.statusCodeStats ?? {})) byStatus[code] = (v as { count: number }).count;
        resolve({
          reqPerSec: result.requests.total / result.duration,
          ok2xx: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          p50: result.latency.p50,
          p99: result.latency.p99,
          mean: result.latency.average,
          durationS: result.duration,
          cpuS: (cpu.user + cpu.system) / 1e6,
          byStatus,
        });
      },
    );
    process.once('SIGTERM', () => instance.stop());
  });
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (r) => process.send!(r, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
