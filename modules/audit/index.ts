export { AuditModule } from './audit.module';
export { AuditService, AuditRecord } from './audit.service';
