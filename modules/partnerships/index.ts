export { PartnershipsModule } from './partnerships.module';
export { PartnershipsService } from './partnerships.service';
export type { ActivePartner } from './partnerships.service';
export { PartnershipErrors } from './partnerships.errors';
export { agreementInForce, MAX_ACTIVE_PARTNERS } from './agreement-status';
