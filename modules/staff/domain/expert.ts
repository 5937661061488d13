/**
 * R-EVA-2: an expert holds a senior professional title (副高级 or 正高级) in the field, or a
 * vocational skill level of 二级/技师 or higher. Derived, never typed; the same rule runs in
 * SQL in the view `staff_members_v` for aggregates.
 */
export type ExpertBasis = 'title' | 'skill-level';

export interface ExpertFacts {
  titleIsSenior: boolean;
  skillLevelIsTechnicianOrAbove: boolean;
}

export interface ExpertVerdict {
  expert: boolean;
  basis: ExpertBasis[];
}

export function judgeExpert(facts: ExpertFacts): ExpertVerdict {
  const basis: ExpertBasis[] = [];
  if (facts.titleIsSenior) basis.push('title');
  if (facts.skillLevelIsTechnicianOrAbove) basis.push('skill-level');
  return { expert: basis.length > 0, basis };
}
