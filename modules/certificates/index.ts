export { CertificatesModule } from './certificates.module';
export { CertificatesService, toCertificateView } from './certificates.service';
export { CertificateErrors } from './certificates.errors';
export { CERTIFICATE_KINDS, CERTIFICATE_STATUSES, KIND_ZH as CERTIFICATE_KIND_ZH, ROUTE_OF } from './certificate.entity';
export type { CertificateKind, CertificateStatus } from './certificate.entity';
