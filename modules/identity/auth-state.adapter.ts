import { Injectable } from '@nestjs/common';
import type { AuthState, AuthStatePort } from '../../src/auth/auth-state.port';
import { IdentityRepository } from './identity.repository';

@Injectable()
export class IdentityAuthState implements AuthStatePort {
  constructor(private readonly repository: IdentityRepository) {}

  load(membershipId: string): Promise<AuthState | undefined> {
    return this.repository.loadAuthState(membershipId);
  }
}
