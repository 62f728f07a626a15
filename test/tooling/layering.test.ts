// The layering rules of docs/architecture.md are Biome rules (biome.json, noRestrictedImports), run by
// `npm test` through `npm run lint`. These cases lint one import at a time, in a file of that folder of
// a scratch tree that carries the project's own biome.json, and check each forbidden direction is
// refused with a message naming the import (type-only imports included), while the allowed ones pass.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIOME = resolve(ROOT, 'node_modules/.bin/biome');

function lintAs(path: string, source: string): { ok: boolean; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mspy-layering-'));
  try {
    // The scratch tree is not a git checkout: the config's VCS settings are left out, the rules kept.
    const { vcs: _vcs, $schema: _schema, ...config } = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8'));
    writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), source);
    const run = spawnSync(BIOME, ['lint', '--only=style/noRestrictedImports', path], { cwd: dir, encoding: 'utf8' });
    return { ok: run.status === 0, out: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const refused: [string, string, string, string][] = [
  [
    'client/ imports server/ (type only)',
    'client/admin/pages/Probe.tsx',
    "import type { Services } from '../../../server/services.js';",
    'forbidden import of server/',
  ],
  [
    'client/ imports db/',
    'client/mobile/probe.ts',
    "import type { RatingRow } from '../../db/queries/ratings.js';",
    'forbidden import of db/',
  ],
  [
    'server/ imports client/',
    'server/modules/stats/probe.ts',
    "import type { Range } from '../../../client/admin/components/stats/format.js';",
    'forbidden import of client/',
  ],
  [
    'db/ imports client/',
    'db/queries/probe.ts',
    "import { chinaToday } from '../../client/admin/components/stats/format.js';",
    'forbidden import of client/',
  ],
  [
    'db/ imports server/',
    'db/queries/probe.ts',
    "import type { Services } from '../../server/services.js';",
    'forbidden import of server/',
  ],
  [
    'a route imports db/',
    'server/modules/codes/probe.routes.ts',
    "import type { Db } from '../../../db/client.js';",
    'routes never touch storage',
  ],
  ['a route imports drizzle', 'server/modules/codes/probe.routes.ts', "import { sql } from 'drizzle-orm';", 'routes never touch storage'],
  [
    'a service imports fastify',
    'server/modules/cases/probe.ts',
    "import type { FastifyInstance } from 'fastify';",
    'services never import fastify',
  ],
  [
    'a module reads another module’s queries',
    'server/modules/cases/probe.ts',
    "import { getRating } from '../../../db/queries/ratings.js';",
    "another module's queries",
  ],
  [
    'shared/ imports server/',
    'shared/api/probe.ts',
    "import type { Services } from '../../server/services.js';",
    'forbidden import of server/',
  ],
  [
    'shared/ imports a platform',
    'shared/probe.ts',
    "import { readFileSync } from 'node:fs';",
    'shared/ runs in node, the browser and the service worker',
  ],
];

describe('layering rules (biome.json), as npm test runs them', () => {
  for (const [name, path, line, message] of refused) {
    it(`refuses: ${name}`, () => {
      const { ok, out } = lintAs(path, `${line}\nexport const probe = 1;\n`);
      expect(ok).toBe(false);
      expect(out).toContain(message);
      // The report names the offending import: its source is shown under the message.
      expect(out).toContain(line.slice(line.indexOf("'")));
    });
  }

  it('allows the directions the layout intends', () => {
    const allowed: [string, string][] = [
      ['client/admin/pages/Probe.tsx', "import type { CaseDetail } from '../../../shared/api/cases.js';"],
      ['server/modules/cases/probe.ts', "import { getCase } from '../../../db/queries/cases.js';"],
      ['server/modules/cases/probe.ts', "import { insertAudit } from '../../../db/queries/audit.js';"],
      ['server/modules/codes/probe.routes.ts', "import type { FastifyInstance } from 'fastify';"],
      ['db/queries/probe.ts', "import { chinaHourSql } from '../../shared/china-time.js';"],
      ['shared/api/probe.ts', "import { Type } from 'typebox';"],
    ];
    for (const [path, line] of allowed)
      expect(lintAs(path, `${line}\nexport const probe = 1;\n`), `${path}: ${line}`).toMatchObject({ ok: true });
  });
});
