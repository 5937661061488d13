import { AppException } from '../../../src/errors/app.exception';
import type { ReferenceDataService } from '../../reference-data';
import { ReferenceErrors } from '../../reference-data';
import { judgeExpert } from '../domain/expert';
import { ExpertRule } from '../expert-rule';

/** The province's reference data as seeded (skill-levels.json, professional-titles.json). */
const SENIOR_TITLES = new Set(['deputy-senior', 'full-senior']);
const TECHNICIAN_OR_ABOVE = new Set(['level-2', 'level-1', 'principal', 'chief']);
const TITLES = new Set(['junior-clerk', 'junior-assistant', 'intermediate', ...SENIOR_TITLES]);
const LEVELS = new Set(['apprentice', 'level-5', 'level-4', 'level-3', ...TECHNICIAN_OR_ABOVE]);

const referenceData = {
  titleIsSenior: async (code: string) => {
    if (!TITLES.has(code)) throw new AppException(ReferenceErrors.UNKNOWN_TITLE_LEVEL, { code });
    return SENIOR_TITLES.has(code);
  },
  skillLevelIsTechnicianOrAbove: async (code: string) => {
    if (!LEVELS.has(code)) throw new AppException(ReferenceErrors.UNKNOWN_SKILL_LEVEL, { code });
    return TECHNICIAN_OR_ABOVE.has(code);
  },
} as unknown as ReferenceDataService;

describe('expert rule', () => {
  const rule = new ExpertRule(referenceData);

  it('R-EVA-2: an expert by title: 副高级 (高级讲师) with a skill level below 技师', async () => {
    expect(await rule.evaluate('deputy-senior', 'level-3')).toEqual({ expert: true, basis: ['title'] });
    expect(await rule.evaluate('full-senior', null)).toEqual({ expert: true, basis: ['title'] });
  });

  it('R-EVA-2: an expert by skill level: 二级/技师 with an intermediate title, and 一级/高级技师 with no title', async () => {
    expect(await rule.evaluate('intermediate', 'level-2')).toEqual({ expert: true, basis: ['skill-level'] });
    expect(await rule.evaluate(null, 'level-1')).toEqual({ expert: true, basis: ['skill-level'] });
  });

  it('R-EVA-2: a non-expert with both below: 中级 title and 三级/高级工', async () => {
    expect(await rule.evaluate('intermediate', 'level-3')).toEqual({ expert: false, basis: [] });
    expect(await rule.evaluate(null, null)).toEqual({ expert: false, basis: [] });
  });

  it('R-EVA-2: both bases are reported when both hold', async () => {
    expect(await rule.evaluate('full-senior', 'level-1')).toEqual({ expert: true, basis: ['title', 'skill-level'] });
  });

  it('an unknown code is refused by the reference data, never read as "not an expert"', async () => {
    await expect(rule.evaluate('professor', null)).rejects.toMatchObject({ definition: ReferenceErrors.UNKNOWN_TITLE_LEVEL });
    await expect(rule.evaluate(null, 'level-9')).rejects.toMatchObject({ definition: ReferenceErrors.UNKNOWN_SKILL_LEVEL });
  });

  it('judgeExpert is the pure rule the SQL view staff_members_v mirrors', () => {
    expect(judgeExpert({ titleIsSenior: false, skillLevelIsTechnicianOrAbove: false }).expert).toBe(false);
    expect(judgeExpert({ titleIsSenior: true, skillLevelIsTechnicianOrAbove: false }).expert).toBe(true);
    expect(judgeExpert({ titleIsSenior: false, skillLevelIsTechnicianOrAbove: true }).expert).toBe(true);
  });
});
