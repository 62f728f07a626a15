// Load shedding (issue 12, finding 1): when the process is overloaded, a request is answered at once
// with 503, our error body and Retry-After, instead of waiting in a queue it would time out in.
// Only signs of a sick process count: the event loop lagging (mean delay over a second) and, if set,
// the heap. A saturated but healthy process (every core busy, answers within milliseconds) is never
// shed: event-loop utilisation is not a threshold here (it is ~1 under any full load), and the
// ingest bench must see no 503 (bench/README.md).
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { throttledWarning } from '../lib/logger.js';

/** Seconds a shed client is asked to wait (the citizen page retries 5xx with its own back-off). */
const RETRY_AFTER_S = 5;
/** How often the plugin samples the event loop and the heap (its default). */
const SAMPLE_INTERVAL_MS = 1_000;

export async function registerLoadShedding(app: FastifyInstance, shed: Config['shed']): Promise<void> {
  if (shed.maxEventLoopDelayMs <= 0 && shed.maxHeapUsedMb <= 0) return;
  // One line per 10 s while shedding: how much, and why.
  const warnShed = throttledWarning();
  // The plugin measures from its registration, so its first samples hold the start-up itself
  // (schemas compiled, routes built: seconds of blocked loop on a busy machine), and a server just
  // started would shed its first requests. It is armed two samples after the app is ready.
  let armed = false;
  app.addHook('onReady', (done) => {
    setTimeout(() => (armed = true), 2 * SAMPLE_INTERVAL_MS).unref();
    done();
  });
  await app.register(underPressure, {
    sampleInterval: SAMPLE_INTERVAL_MS,
    maxEventLoopDelay: shed.maxEventLoopDelayMs,
    maxHeapUsedBytes: shed.maxHeapUsedMb * 1024 * 1024,
    // Its types say void, but a value returned is what it sends (and it then stops the request);
    // reply.send() here instead would let the request run on while the 503 is on its way.
    pressureHandler: ((_request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => {
      if (!armed) return undefined;
      warnShed((shed) => app.log.warn({ type, value, shed }, 'overloaded: answering 503'));
      reply.status(503).header('retry-after', String(RETRY_AFTER_S));
      return { error: 'ServerBusy', message: '服务器繁忙，请稍后再试' };
    }) as unknown as (request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => void,
  });
}
