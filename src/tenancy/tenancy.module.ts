import { Global, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { ClsPluginTransactional } from '@nestjs-cls/transactional';
import { ClsModule } from 'nestjs-cls';
import { requestIdOf } from '../http/request-id';
import { TenantContext } from './tenant-context';
import { TenantPinningTypeOrmAdapter } from './tenant-pinning.adapter';

/** Request context in CLS and @Transactional() transactions pinned to the tenant. */
@Global()
@Module({
  imports: [
    ClsModule.forRoot({
      global: true,
      middleware: {
        mount: true,
        generateId: true,
        idGenerator: (req) => requestIdOf(req),
        setup: (cls, req) => {
          cls.set('requestId', requestIdOf(req));
          cls.set('ip', req.ip ?? req.socket?.remoteAddress);
        },
      },
      plugins: [
        new ClsPluginTransactional({
          imports: [TypeOrmModule],
          adapter: new TenantPinningTypeOrmAdapter({ dataSourceToken: getDataSourceToken() }),
        }),
      ],
    }),
  ],
  providers: [TenantContext],
  exports: [TenantContext],
})
export class TenancyModule {}
