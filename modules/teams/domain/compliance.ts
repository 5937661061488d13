/** R-EVA-2 thresholds: enterprise mentors ≥ 30 % of the team, at least 5 experts. */
export const ENTERPRISE_SHARE_THRESHOLD = 0.3 as const;
export const EXPERT_THRESHOLD = 5 as const;

export interface TeamCounts {
  /** members who count: active and (enterprise side) confirmed */
  total: number;
  enterprise: number;
  experts: number;
}

export interface Reason {
  zh: string;
  en: string;
}

export interface TeamCompliance {
  compliant: boolean;
  enterpriseShare: { enterprise: number; total: number; ratio: number | null; threshold: typeof ENTERPRISE_SHARE_THRESHOLD; met: boolean };
  experts: { count: number; threshold: typeof EXPERT_THRESHOLD; met: boolean };
  missing: Reason[];
}

/**
 * The fewest enterprise mentors to add so that (e + k) / (n + k) ≥ 0.3, in integers:
 * 10(e + k) ≥ 3(n + k) ⇔ 7k ≥ 3n − 10e.
 */
export function enterpriseMentorsToAdd(enterprise: number, total: number): number {
  return Math.max(0, Math.ceil((3 * total - 10 * enterprise) / 7));
}

/** R-EVA-2 on a team's counts. An empty team is not compliant and its share is "no data" (null). */
export function assessTeam(c: TeamCounts): TeamCompliance {
  const shareMet = c.total > 0 && 10 * c.enterprise >= 3 * c.total; // exact: no floating point at the threshold
  const expertsMet = c.experts >= EXPERT_THRESHOLD;
  const missing: Reason[] = [];
  if (c.total === 0) {
    missing.push({
      zh: '团队尚无成员，企业导师占比无数据（需不低于30%）',
      en: 'The team has no members yet: no enterprise share (at least 30% needed)',
    });
  } else if (!shareMet) {
    const k = enterpriseMentorsToAdd(c.enterprise, c.total);
    missing.push({
      zh: `还需增加${k}名企业导师（目前企业导师${c.enterprise}名/共${c.total}名，需不低于30%）`,
      en: `Add ${k} more enterprise mentor${k === 1 ? '' : 's'} (now ${c.enterprise} of ${c.total}; at least 30% needed)`,
    });
  }
  if (!expertsMet) {
    const k = EXPERT_THRESHOLD - c.experts;
    missing.push({
      zh: `还需增加${k}名专家（副高级及以上职称或技师及以上技能等级）`,
      en: `Add ${k} more expert${k === 1 ? '' : 's'} (deputy-senior title or above, or technician skill level or above)`,
    });
  }
  return {
    compliant: shareMet && expertsMet,
    enterpriseShare: {
      enterprise: c.enterprise,
      total: c.total,
      ratio: c.total > 0 ? Math.round((c.enterprise / c.total) * 10000) / 10000 : null,
      threshold: ENTERPRISE_SHARE_THRESHOLD,
      met: shareMet,
    },
    experts: { count: c.experts, threshold: EXPERT_THRESHOLD, met: expertsMet },
    missing,
  };
}
