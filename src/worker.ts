import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig, loadEnvFile } from '../config/app-config';
import { WorkerModule } from './worker.module';

/**
 * Worker entry (same build as main.ts). On SIGTERM/SIGINT Nest's shutdown hooks close
 * the BullMQ workers, which stop taking jobs and wait for the running ones to finish;
 * a job cut off by a harder kill is retried after the stall interval.
 */
async function main(): Promise<void> {
  try {
    loadEnvFile(); // config/.env when present; the environment wins
    loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // useProcessExit: without it Nest re-raises the signal after the hooks and the process dies with 143, not 0
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  app.get(Logger).log('worker started');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
