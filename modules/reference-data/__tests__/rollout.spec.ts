import { ROLLOUT_RULES } from '../data/seed';
import { COLLEGE_TIERS, eligibleTiersFor } from '../domain/rollout';

const BATCH2 = ['batch1', 'batch2', 'batch2-building', 'batch2-cultivating'];

describe('eligibleTiersFor', () => {
  it('R-COL-2: before 2025 the pilot had not begun: no tier is eligible (2024)', () => {
    expect(eligibleTiersFor(ROLLOUT_RULES, 2024)).toEqual([]);
  });

  it('R-COL-2: 2025 → batch1 only', () => {
    expect(eligibleTiersFor(ROLLOUT_RULES, 2025)).toEqual(['batch1']);
  });

  it('R-COL-2: 2026 → batch1 and batch2 with its building and cultivating units', () => {
    expect(eligibleTiersFor(ROLLOUT_RULES, 2026)).toEqual(BATCH2);
  });

  it('R-COL-2: 2027 → every tier', () => {
    expect(eligibleTiersFor(ROLLOUT_RULES, 2027)).toEqual([...COLLEGE_TIERS]);
  });

  it('R-COL-2: 2027 onward stays all tiers (2028, 2040)', () => {
    expect(eligibleTiersFor(ROLLOUT_RULES, 2028)).toEqual([...COLLEGE_TIERS]);
    expect(eligibleTiersFor(ROLLOUT_RULES, 2040)).toEqual([...COLLEGE_TIERS]);
  });

  it('R-COL-2: the rules apply whatever order they arrive in, and tiers come back in canonical order', () => {
    const shuffled = [...ROLLOUT_RULES].reverse().map((r) => ({ ...r, tiers: [...r.tiers].reverse() }));
    expect(eligibleTiersFor(shuffled, 2026)).toEqual(BATCH2);
    expect(eligibleTiersFor([], 2026)).toEqual([]);
  });
});
