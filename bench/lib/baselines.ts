// The two yardsticks of the ingest benchmark, started by the benchmark itself in the same run:
// (a) a bare Fastify POST route with the real body schema and no database;
// (b) the same plus ONE prepared better-sqlite3 insert per request (autocommit: one WAL commit each)
//     into the real ratings table, opened with the production pragmas (db/client.ts).

import type Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { BODY_LIMIT } from '../../server/app.js';
import { CodeParam, RatingBody, type RatingBodyT, RatingCreated } from '../../shared/api/ratings.js';

export async function bareApp(sqlite: Database.Database | null): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT });
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const insert = sqlite?.prepare(`
    INSERT INTO ratings (code_id, department_id, score, tags, comment, client_hash, net_hash, idempotency_key, channel, created_at, day)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'qr', ?, ?)`);
  const deptOf = new Map<string, number>(
    sqlite ? (sqlite.prepare('SELECT id, department_id AS d FROM codes').all() as { id: string; d: number }[]).map((c) => [c.id, c.d]) : [],
  );
  let seq = 0;
  app.post<{ Params: { code: string }; Body: RatingBodyT }>(
    '/api/codes/:code/ratings',
    { schema: { params: CodeParam, body: RatingBody, response: { 201: RatingCreated } } },
    async (request, reply) => {
      const b = request.body;
      let id = ++seq;
      if (insert) {
        const code = request.params.code;
        const info = insert.run(
          code,
          deptOf.get(code) ?? 1,
          b.score,
          JSON.stringify(b.tags ?? []),
          b.comment ?? null,
          b.clientId ?? null,
          request.ip,
          b.idempotencyKey ?? null,
          Date.now(),
          today,
        );
        id = Number(info.lastInsertRowid);
      }
      return reply.status(201).send({ id, followUp: null });
    },
  );
  await app.ready();
  return app;
}
