/** R-COL-1: the tiers a college (tenant) can have. The tenants table checks the same list. */
export const COLLEGE_TIERS = ['batch1', 'batch2', 'batch2-building', 'batch2-cultivating', 'other'] as const;
export type CollegeTier = (typeof COLLEGE_TIERS)[number];

/** One row of the R-COL-2 rollout table: from `fromYear` on (until the next rule), these tiers may be candidates. */
export interface RolloutRule {
  fromYear: number;
  tiers: CollegeTier[];
}

/**
 * R-COL-2: the tiers eligible in `year`: the latest rule starting in or before it. Before
 * the first rule the pilot had not begun, so no tier is eligible; the last rule (2027,
 * all tiers) holds for every later year.
 */
export function eligibleTiersFor(rules: readonly RolloutRule[], year: number): CollegeTier[] {
  let match: RolloutRule | undefined;
  for (const rule of rules) {
    if (rule.fromYear <= year && (!match || rule.fromYear > match.fromYear)) match = rule;
  }
  if (!match) return [];
  // Keep the canonical tier order whatever order the row stores them in.
  return COLLEGE_TIERS.filter((t) => match.tiers.includes(t));
}
