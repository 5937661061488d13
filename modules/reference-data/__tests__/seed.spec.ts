import { INDUSTRY_CLUSTERS, SCHOOLING_TRACKS, SKILL_LEVELS, TITLE_LEVELS } from '../data/seed';

describe('reference seed facts', () => {
  it('R-PRG-1: twenty 双十 clusters, ten pillar and ten emerging', () => {
    expect(INDUSTRY_CLUSTERS).toHaveLength(20);
    expect(INDUSTRY_CLUSTERS.filter((c) => c.kind === 'pillar')).toHaveLength(10);
    expect(new Set(INDUSTRY_CLUSTERS.map((c) => c.code)).size).toBe(20);
  });

  it('R-EVA-2/R-EVA-3: level-2 (技师) and above are technician level, level-3 is not', () => {
    const above = SKILL_LEVELS.filter((l) => l.technicianOrAbove).map((l) => l.code);
    expect(above).toEqual(['level-2', 'level-1', 'principal', 'chief']);
    expect(SKILL_LEVELS.find((l) => l.code === 'level-5')?.nationalLevel).toBe(5);
    expect(SKILL_LEVELS.find((l) => l.code === 'apprentice')?.nationalLevel).toBeNull();
  });

  it('R-EVA-2: 副高级 and 正高级 are senior titles, 中级 is not; college series line up by rank', () => {
    expect(TITLE_LEVELS.filter((t) => t.senior).map((t) => t.code)).toEqual(['deputy-senior', 'full-senior']);
    const byCode = Object.fromEntries(TITLE_LEVELS.map((t) => [t.code, t]));
    expect(byCode['intermediate'].collegeTheoryTitle).toBe('讲师');
    expect(byCode['deputy-senior'].collegePracticeTitle).toBe('高级实习指导教师');
    expect(byCode['junior-clerk'].collegeTheoryTitle).toBeNull();
    expect(byCode['junior-clerk'].collegePracticeTitle).toBe('三级实习指导教师');
  });

  it('R-TRK-1/R-TRK-2: five fixed tracks and the flexible one', () => {
    expect(SCHOOLING_TRACKS.map((t) => [t.code, t.years, t.seniorWorkerStageYears])).toEqual([
      ['junior-high', 6, 4],
      ['senior-high', 4, 2],
      ['secondary-vocational', 3, 2],
      ['higher-vocational', 2, 0],
      ['bachelor-plus', 1, 0],
      ['flexible', null, null],
    ]);
  });
});
