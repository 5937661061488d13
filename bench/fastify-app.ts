import 'reflect-metadata';
import { AppConfig, loadConfig } from '../config/app-config';
import { createApp } from '../src/app.factory';

/**
 * The real app on Fastify for the adapter bench (ADR 0007): since the port behind
 * HTTP_ADAPTER it is simply createApp with `HTTP_ADAPTER=fastify` (uploads, queue board,
 * 405 fallback and security headers included), no longer a bench-only bootstrap.
 * The figures of 2026-12-02 in ADR 0007 were measured with that earlier prototype.
 *
 *   node dist/bench/fastify-app.js   (same environment as dist/src/main.js)
 */
async function main(): Promise<void> {
  process.env.HTTP_ADAPTER = 'fastify';
  loadConfig();
  const app = await createApp();
  await app.listen(app.get(AppConfig).PORT, '127.0.0.1');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
