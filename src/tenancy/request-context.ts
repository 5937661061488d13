import { ClsStore } from 'nestjs-cls';

export type Scope = 'province' | 'college' | 'enterprise';

/** Who is acting, filled from the verified token (or a job payload) before any query. */
export interface Actor {
  userId: string;
  membershipId: string;
  scope: Scope;
  role: string;
  /** the college; absent for province scope */
  tenantId?: string;
  /** the enterprise, for enterprise scope */
  enterpriseId?: string;
  displayName?: string;
}

export interface JishiClsStore extends ClsStore {
  requestId?: string;
  ip?: string;
  actor?: Actor;
  /** set for jobs and system tasks that act for one tenant without a user */
  systemTenantId?: string;
  /** set only by trusted system code (seed, relay) that must see across tenants */
  systemScope?: 'province';
}
