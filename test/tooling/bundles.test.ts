// The browser bundles import shared/api for its types only: a value imported from there brings the
// TypeBox runtime along (it added ~44 KB to the staff app once, through one constant). The built
// bundles (npm test builds them before vitest runs) must carry none of it; shared/domain.ts is where
// values the clients need live.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = resolve(import.meta.dirname, '../../dist/client');
// Every TypeBox 1.x schema carries this key; no code of ours spells it.
const TYPEBOX_MARK = '~kind';

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? scripts(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

describe('browser bundles', () => {
  it('carry no TypeBox runtime: the clients import shared/api as types only', () => {
    const files = scripts(DIST);
    expect(files.some((f) => f.includes('/m/mobile.js'))).toBe(true);
    expect(files.some((f) => /\/admin-[^/]+\.js$/.test(f))).toBe(true);
    const carrying = files.filter((f) => readFileSync(f, 'utf8').includes(TYPEBOX_MARK));
    expect(carrying).toEqual([]);
  });
});
