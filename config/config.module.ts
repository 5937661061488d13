import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { Clock, setClock } from '../src/time/clock';
import { AppConfig, envFileOptions, loadConfig } from './app-config';

/**
 * @nestjs/config reads config/.env when present (variables already in the environment win),
 * then our class-validator AppConfig validates the result: one typed, validated object; and
 * the process's clock is built from it (CLOCK_FIXED_NOW / CLOCK_OFFSET_MS).
 */
@Global()
@Module({
  imports: [NestConfigModule.forRoot({ ...envFileOptions(), cache: true })],
  providers: [
    { provide: AppConfig, useFactory: () => loadConfig() },
    {
      provide: Clock,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const clock = Clock.fromSettings(config);
        setClock(clock); // chinaToday() and the transaction pin (app.now) read the same clock
        return clock;
      },
    },
  ],
  exports: [AppConfig, Clock],
})
export class ConfigModule {}
