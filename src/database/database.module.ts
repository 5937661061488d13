import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config';
import { dataSourceOptions } from './data-source-options';

/** TypeORM as the runtime role. Entities come from each module's forFeature (never a glob). */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions({ url: config.DATABASE_URL, poolSize: config.DB_POOL_SIZE, replicaUrls: config.DATABASE_REPLICA_URLS }),
        migrations: [],
        autoLoadEntities: true,
      }),
    }),
  ],
})
export class DatabaseModule {}
