import type { Role } from '../../../src/auth/roles';
import type { IdentityFactory } from '../../factories/identity.factory';

export interface MatrixWorld {
  f: IdentityFactory;
  tenantA: string;
  tenantB: string;
  enterpriseE: string;
}

export interface Actor {
  role: Role;
  userId: string;
  membershipId: string;
  tenantId?: string;
  enterpriseId?: string;
}

export interface MatrixRequest {
  path: string;
  body?: object;
  query?: Record<string, string>;
  /** multipart uploads: form field → file (sent with supertest's attach) */
  files?: Record<string, { content: Buffer; filename: string }>;
}

export interface RouteFixture {
  /** a request the role should be able to make successfully, built fresh for each call */
  build: (w: MatrixWorld, actor: Actor) => Promise<MatrixRequest>;
  /** for routes with an id: the same request aimed at another college's record (→ 404) */
  foreign?: (w: MatrixWorld, actor: Actor) => Promise<MatrixRequest>;
}

