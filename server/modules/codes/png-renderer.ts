// QR PNGs are drawn in a pool of worker threads (piscina), so that a flood of uncached images costs
// the pool's threads and never the event loop that answers citizens. The queue is bounded: when it is
// full the request is answered 503 at once instead of waiting behind everyone else's images.
import { Piscina } from 'piscina';
import { Unavailable } from '../../errors.js';

export interface PngRendererOptions {
  /** Worker threads (config QR_RENDER_THREADS). */
  threads: number;
  /** Images that may wait for a thread (config QR_RENDER_QUEUE). */
  queue: number;
}

// Run from the TypeScript sources (`node --import tsx`, vitest) the worker is a .ts file and its thread
// needs tsx's loader; run from compiled JavaScript it is a .js file and needs nothing.
const fromSources = import.meta.url.endsWith('.ts');
const WORKER = new URL(`./qr-png.worker.${fromSources ? 'ts' : 'js'}`, import.meta.url).href;

const busy = () => new Unavailable('二维码图片生成繁忙，请稍后再试', 'QrRenderBusy', 2);

export function createPngRenderer(opts: PngRendererOptions) {
  // Started on the first image, not with the server: most processes (and tests) never draw a PNG.
  let pool: Piscina | null = null;

  function start(): Piscina {
    pool ??= new Piscina({
      filename: WORKER,
      minThreads: opts.threads,
      maxThreads: opts.threads,
      maxQueue: opts.queue,
      ...(fromSources ? { execArgv: ['--import', 'tsx'] } : {}),
    });
    return pool;
  }

  return {
    /** The PNG of `url`, `size` px square, drawn by a worker thread; Unavailable (503) when the queue is full. */
    async render(url: string, size: number): Promise<Buffer> {
      const p = start();
      if (p.queueSize >= opts.queue) throw busy();
      let out: Uint8Array;
      try {
        out = await p.run({ url, size });
      } catch (err) {
        // The pool's own check, should it count differently from ours.
        if (err instanceof Error && err.message === 'Task queue is at limit') throw busy();
        throw err;
      }
      // A Buffer crosses the thread boundary as a plain Uint8Array.
      return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    },

    /** Images drawn so far and the ids of the threads that draw them (operations, tests). */
    stats(): { completed: number; threadIds: number[] } {
      return { completed: pool?.completed ?? 0, threadIds: pool?.threads.map((t) => t.threadId) ?? [] };
    },

    /** Ends the threads (app close); a later image starts a new pool. */
    async close(): Promise<void> {
      const p = pool;
      pool = null;
      await p?.destroy();
    },
  };
}

export type PngRenderer = ReturnType<typeof createPngRenderer>;
