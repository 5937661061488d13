/**
 * The pilot programme life cycle (DOMAIN §5): candidate → applied → active →
 * midterm-passed → completed, or suspended / revoked from any active state.
 */
export const PILOT_STATUSES = ['candidate', 'applied', 'active', 'midterm-passed', 'completed', 'suspended', 'revoked'] as const;
export type PilotStatus = (typeof PILOT_STATUSES)[number];

const ACTIVE_STATES: PilotStatus[] = ['active', 'midterm-passed'];

/** Every allowed move, and who may make it. */
const TRANSITIONS: Record<PilotStatus, PilotStatus[]> = {
  candidate: ['applied'],
  // the province approves (or, with the application rejected, the programme returns to candidate)
  applied: ['active', 'candidate'],
  active: ['midterm-passed', 'suspended', 'revoked'],
  'midterm-passed': ['completed', 'suspended', 'revoked'],
  completed: [],
  // a suspension is lifted back to active, or ends in revocation
  suspended: ['active', 'revoked'],
  revoked: [],
};

export function isActivePilot(status: PilotStatus): boolean {
  return ACTIVE_STATES.includes(status);
}

export function canTransition(from: PilotStatus, to: PilotStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The only move a college makes itself: submitting the application (candidate → applied). */
export function isCollegeTransition(from: PilotStatus, to: PilotStatus): boolean {
  return from === 'candidate' && to === 'applied';
}
