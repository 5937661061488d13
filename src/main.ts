import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig, loadEnvFile } from '../config/app-config';
import { createApp } from './app.factory';

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
  const app = await createApp();
  const config = app.get(AppConfig);
  await app.listen(config.PORT, '0.0.0.0');
}

void main();
