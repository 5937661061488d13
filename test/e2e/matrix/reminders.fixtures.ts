import type { RouteFixture } from './types';

/** Issue 13: reminders that went out, and a college admin's run of today's check (idempotent). */
export const REMINDERS_FIXTURES: Record<string, RouteFixture> = {
  'GET /api/v1/reminders/sent': { build: async () => ({ path: '/api/v1/reminders/sent', query: { limit: '5' } }) },
  'POST /api/v1/reminders/run': { build: async () => ({ path: '/api/v1/reminders/run' }) },
};
