export { TenantsModule } from './tenants.module';
export { TenantsService } from './tenants.service';
export { Tenant, TENANT_TIERS, TenantTier } from './tenant.entity';
