import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { AppConfig, envFileOptions, loadConfig } from './app-config';

/**
 * @nestjs/config reads config/.env when present (variables already in the environment win),
 * then our class-validator AppConfig validates the result: one typed, validated object.
 */
@Global()
@Module({
  imports: [NestConfigModule.forRoot({ ...envFileOptions(), cache: true })],
  providers: [{ provide: AppConfig, useFactory: () => loadConfig() }],
  exports: [AppConfig],
})
export class ConfigModule {}
