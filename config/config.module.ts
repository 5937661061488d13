import { Global, Module } from '@nestjs/common';
import { Clock, setClock } from '../src/time/clock';
import { AppConfig, loadConfig } from './app-config';

/** The validated configuration, and the process's clock built from it (CLOCK_FIXED_NOW / CLOCK_OFFSET_MS). */
@Global()
@Module({
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
