import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../../config/app-config';
import { AccessGuard } from './access.guard';
import { AuthStateCache } from './auth-state.cache';
import { JwtStrategy } from './jwt.strategy';

/**
 * Token verification and the one access guard, applied to every route. The identity
 * module provides AUTH_STATE_PORT (membership/tenant state) and issues the tokens.
 */
@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.JWT_SECRET,
        signOptions: {
          algorithm: 'HS256',
          issuer: config.JWT_ISSUER,
          audience: config.JWT_AUDIENCE,
          expiresIn: config.JWT_ACCESS_TTL_SECONDS,
        },
        verifyOptions: { algorithms: ['HS256'], issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
      }),
    }),
  ],
  providers: [JwtStrategy, AuthStateCache, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [JwtModule, AuthStateCache],
})
export class AuthModule {}
