export { MentorshipsModule } from './mentorships.module';
export { MentorshipsService } from './mentorships.service';
export { MentorshipErrors } from './mentorships.errors';
export { MENTOR_SIDES, GUIDANCE_KINDS } from './mentorship.entity';
export type { MentorSide, GuidanceKind } from './mentorship.entity';
export { DEFAULT_MENTOR_LOAD_WARNING } from './mentorships.repository';
