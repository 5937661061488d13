export { IdentityModule } from './identity.module';
export { User } from './user.entity';
export { Membership } from './membership.entity';
