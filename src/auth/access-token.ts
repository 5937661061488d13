import type { Role } from './roles';
import type { Scope } from '../tenancy/request-context';

/** Claims of an access token (ARCHITECTURE §4). `typ` keeps refresh tokens out. */
export interface AccessClaims {
  sub: string;
  mid: string;
  scope: Scope;
  role: Role;
  tid?: string;
  eid?: string;
  typ: 'access';
  /** display name, so /auth/me needs no database */
  name?: string;
  /** password version (ms of the last change): a token from before a change is void */
  pv: number;
  iat?: number;
  exp?: number;
  nbf?: number;
}
