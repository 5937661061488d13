import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AUTH_STATE_PORT } from '../../src/auth/auth-state.port';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { NotificationsCoreModule } from '../notifications';
import { RateLimitModule } from '../../src/http/rate-limit';
import { PartnershipsModule } from '../partnerships';
import { CounterStore } from '../../src/redis/counter-store';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { IdentityAuthState } from './auth-state.adapter';
import { IdentityRepository } from './identity.repository';
import { Invitation } from './invitation.entity';
import { InvitationsService } from './invitations.service';
import { LoginAudit } from './login-audit.service';
import { LoginThrottle } from './login-throttle.service';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { PasswordResetService } from './password-reset.service';
import { Membership } from './membership.entity';
import { RefreshToken } from './refresh-token.entity';
import { TokenService } from './token.service';
import { User } from './user.entity';

/** Global because it provides AUTH_STATE_PORT to the platform's access guard. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([User, Membership, RefreshToken, Invitation]), PartnershipsModule, NotificationsCoreModule, RateLimitModule],
  controllers: [AuthController, MembersController],
  providers: [
    IdentityRepository,
    TokenService,
    LoginThrottle,
    LoginAudit,
    CounterStore,
    PasswordHasher,
    AuthService,
    InvitationsService,
    MembersService,
    PasswordResetService,
    { provide: AUTH_STATE_PORT, useClass: IdentityAuthState },
  ],
  exports: [AUTH_STATE_PORT],
})
export class IdentityModule {}
