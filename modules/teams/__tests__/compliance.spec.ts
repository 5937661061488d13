import { assessTeam, enterpriseMentorsToAdd } from '../domain/compliance';

describe('team compliance', () => {
  it('R-EVA-2: 3 enterprise mentors of 10 members passes the 30 % share (exactly at the threshold)', () => {
    const r = assessTeam({ total: 10, enterprise: 3, experts: 5 });
    expect(r.enterpriseShare).toEqual({ enterprise: 3, total: 10, ratio: 0.3, threshold: 0.3, met: true });
    expect(r.compliant).toBe(true);
    expect(r.missing).toEqual([]);
  });

  it('R-EVA-2: 2 enterprise mentors of 7 members fails the share, and one more enterprise mentor is asked for', () => {
    const r = assessTeam({ total: 7, enterprise: 2, experts: 5 });
    expect(r.enterpriseShare.met).toBe(false);
    expect(r.enterpriseShare.ratio).toBeCloseTo(0.2857, 4);
    expect(r.compliant).toBe(false);
    expect(r.missing).toHaveLength(1);
    expect(r.missing[0].zh).toContain('还需增加1名企业导师');
    expect(r.missing[0].en).toContain('Add 1 more enterprise mentor');
  });

  it('R-EVA-2: 5 experts passes', () => {
    const r = assessTeam({ total: 10, enterprise: 4, experts: 5 });
    expect(r.experts).toEqual({ count: 5, threshold: 5, met: true });
    expect(r.compliant).toBe(true);
  });

  it('R-EVA-2: 4 experts fails and one more expert is asked for, in words', () => {
    const r = assessTeam({ total: 10, enterprise: 4, experts: 4 });
    expect(r.experts.met).toBe(false);
    expect(r.compliant).toBe(false);
    expect(r.missing).toEqual([
      { zh: '还需增加1名专家（副高级及以上职称或技师及以上技能等级）', en: expect.stringContaining('Add 1 more expert') },
    ]);
  });

  it('R-EVA-2: both unmet lists both reasons (share first, then experts)', () => {
    const r = assessTeam({ total: 6, enterprise: 0, experts: 3 });
    expect(r.missing.map((m) => m.zh)).toEqual([
      '还需增加3名企业导师（目前企业导师0名/共6名，需不低于30%）',
      '还需增加2名专家（副高级及以上职称或技师及以上技能等级）',
    ]);
  });

  it('R-EVA-2: an empty team is not compliant and its share is "no data" (null), never 0 % and never met', () => {
    const r = assessTeam({ total: 0, enterprise: 0, experts: 0 });
    expect(r.compliant).toBe(false);
    expect(r.enterpriseShare.ratio).toBeNull();
    expect(r.enterpriseShare.met).toBe(false);
    expect(r.missing[0].zh).toContain('无数据');
  });

  it('the number to add is the smallest k with (e + k) / (n + k) ≥ 0.3', () => {
    for (let n = 0; n <= 40; n++) {
      for (let e = 0; e <= n; e++) {
        const k = enterpriseMentorsToAdd(e, n);
        const ok = (x: number) => 10 * (e + x) >= 3 * (n + x);
        expect(ok(k)).toBe(true);
        if (k > 0) expect(ok(k - 1)).toBe(false);
      }
    }
  });
});
