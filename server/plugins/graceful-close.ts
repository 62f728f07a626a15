// app.close() that ends: requests already in flight get their answers, then every connection goes.
//
// Node's server.close() closes the connections that are idle at that moment and then waits for all
// others. Two kinds never end on their own: a connection whose request was in flight (after its
// answer, Node keeps it open for keepAliveTimeout, 72 s in Fastify) and a connection a browser opened
// ahead of time without sending anything yet (kept open forever). A SIGTERM'd server then hangs
// until it is killed, and a test's app.close() times out.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface GracefulCloseOptions {
  /** After this long, connections still open are cut, answered or not. */
  graceMs: number;
}

export function registerGracefulClose(app: FastifyInstance, opts: GracefulCloseOptions): void {
  // Per connection, not per request: nothing on the hot path.
  const sockets = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  app.addHook('preClose', (done) => {
    // Answers still to come close their connection right after (Node adds its ~1 s buffer), and
    // Fastify answers any further request on them 503 with `Connection: close`.
    app.server.keepAliveTimeout = 1;
    // A connection that has not sent a byte has no request to finish.
    for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
    // Whatever is still open after the grace period (a request that never completes) is cut.
    const cut = setTimeout(() => app.server.closeAllConnections(), opts.graceMs);
    cut.unref();
    app.server.once('close', () => clearTimeout(cut));
    done();
  });
}
