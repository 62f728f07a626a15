// The files that hold the data and its keys are the service account's alone (mode 0600): the SQLite
// database and its -wal/-shm, the development secrets beside it, and backups. Checked after a real start
// (the server process, with the usual umask 022), after a restart over files an older version left
// 0644, and after `npm run backup`.
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { driverUnderTest } from '../helpers/app.js';
import { runCli, startServerProcess, useServerProcesses } from '../helpers/server-process.js';

const { tempDir } = useServerProcesses();

const modeOf = (file: string) => (statSync(file).mode & 0o777).toString(8);
const FILES = ['app.db', 'app.db-wal', 'app.db-shm', '.jwt-secret', '.data-key'];

describe.skipIf(driverUnderTest === 'pg')('modes of the data files', () => {
  it('the database, its WAL files, the secrets and a backup are created 0600; 0644 ones are tightened at start', async () => {
    const dir = tempDir('mspy-modes-');
    const dbFile = join(dir, 'app.db');
    const server = await startServerProcess({ DB_FILE: dbFile });
    expect(Object.fromEntries(FILES.map((f) => [f, modeOf(join(dir, f))]))).toEqual(Object.fromEntries(FILES.map((f) => [f, '600'])));

    const backupFile = join(dir, 'backup.db');
    const backup = await runCli('server/cli/backup.ts', [backupFile], { DB_FILE: dbFile });
    expect(backup.code, backup.out).toBe(0);
    expect(modeOf(backupFile)).toBe('600');

    server.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    // As an earlier version left them.
    for (const f of ['app.db', '.jwt-secret', '.data-key']) chmodSync(join(dir, f), 0o644);
    const again = await startServerProcess({ DB_FILE: dbFile });
    expect(Object.fromEntries(FILES.map((f) => [f, modeOf(join(dir, f))]))).toEqual(Object.fromEntries(FILES.map((f) => [f, '600'])));
    again.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  }, 120_000);
});
