// The load generator, in its own process so that it never shares the server's event loop (2 cores:
// one for the server, one for autocannon). Receives a LoadSpec over IPC, answers with LoadResult.
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load.js';
import { ratingBodies } from './rating-bodies.js';

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
