/** What the access guard must know about a membership on every call (ARCHITECTURE §4). */
export interface AuthState {
  membershipId: string;
  userId: string;
  active: boolean;
  /** ms since epoch of the last password change; tokens carrying another value are void */
  passwordChangedAt: number;
}

/** Implemented by the identity module; the guard depends only on this port. */
export interface AuthStatePort {
  load(membershipId: string): Promise<AuthState | undefined>;
}

export const AUTH_STATE_PORT = Symbol('AUTH_STATE_PORT');
