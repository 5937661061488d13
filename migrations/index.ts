import { PlatformFoundation1764400000000 } from './1764400000000-platform-foundation';

/** Every migration, in order. Registered explicitly, never by glob. */
export const MIGRATIONS = [PlatformFoundation1764400000000];
