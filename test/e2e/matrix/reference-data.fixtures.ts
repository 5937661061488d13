import type { RouteFixture } from './types';

/** 2097 belongs to the matrix: each allowed PUT sends the version it finds, so every call succeeds. */
const MATRIX_YEAR = 2097;

export const REFERENCE_DATA_FIXTURES: Record<string, RouteFixture> = {
  'GET /api/v1/reference/industry-clusters': { build: async () => ({ path: '/api/v1/reference/industry-clusters' }) },
  'GET /api/v1/reference/skill-levels': { build: async () => ({ path: '/api/v1/reference/skill-levels' }) },
  'GET /api/v1/reference/professional-titles': { build: async () => ({ path: '/api/v1/reference/professional-titles' }) },
  'GET /api/v1/reference/schooling-tracks': { build: async () => ({ path: '/api/v1/reference/schooling-tracks' }) },
  'GET /api/v1/reference/rollout': { build: async () => ({ path: '/api/v1/reference/rollout' }) },
  'GET /api/v1/reference/rollout/:year': { build: async () => ({ path: '/api/v1/reference/rollout/2026' }) },
  'GET /api/v1/reference/calendar': { build: async () => ({ path: '/api/v1/reference/calendar' }) },
  'GET /api/v1/reference/calendar/working-days': {
    build: async () => ({ path: '/api/v1/reference/calendar/working-days', query: { from: '2025-09-30', days: '5' } }),
  },
  'GET /api/v1/reference/calendar/:year': { build: async () => ({ path: '/api/v1/reference/calendar/2026' }) },
  'PUT /api/v1/reference/calendar/:year': {
    build: async (w) => {
      const current = await w.f.query('SELECT version FROM calendar_years WHERE year = $1', [MATRIX_YEAR]);
      return {
        path: `/api/v1/reference/calendar/${MATRIX_YEAR}`,
        body: {
          status: 'provisional',
          days: [{ date: `${MATRIX_YEAR}-01-01`, kind: 'holiday', name: '元旦' }],
          ...(current.rows[0] ? { version: current.rows[0].version } : {}),
        },
      };
    },
  },
};
