import { stageProgress } from '../domain/progress';

/** A 100-day stage with 1000 planned hours: on day 50 the elapsed share is exactly 50 %. */
const base = { plannedHours: 1000, loggedHours: 0, startsOn: '2026-03-01', endsOn: '2026-06-08', today: '2026-04-19', riskPoints: 20 };

describe('practice stage progress (R-TRN-4)', () => {
  it('R-TRN-4: exactly 20 points behind is NOT at risk', () => {
    const p = stageProgress({ ...base, confirmedHours: 300 });
    expect(p).toMatchObject({ elapsedShare: 50, confirmedShare: 30, lagPoints: 20, atRisk: false });
  });

  it('R-TRN-4: 21 points behind IS at risk', () => {
    const p = stageProgress({ ...base, confirmedHours: 290 });
    expect(p).toMatchObject({ elapsedShare: 50, confirmedShare: 29, lagPoints: 21, atRisk: true });
  });

  it('R-TRN-4: a hundredth of an hour past the threshold is at risk, decimals do not flip it', () => {
    expect(stageProgress({ ...base, confirmedHours: 299.99 }).atRisk).toBe(true);
    expect(stageProgress({ ...base, plannedHours: 0.3 * 1000, confirmedHours: 0.3 * 300 }).atRisk).toBe(false);
  });

  it('R-TRN-4: the threshold is the tenant setting', () => {
    expect(stageProgress({ ...base, confirmedHours: 300, riskPoints: 10 }).atRisk).toBe(true);
    expect(stageProgress({ ...base, confirmedHours: 290, riskPoints: 25 }).atRisk).toBe(false);
  });

  it('R-TRN-4: a stage not yet started is never at risk; a finished stage counts every day', () => {
    expect(stageProgress({ ...base, confirmedHours: 0, today: '2026-02-28' })).toMatchObject({ elapsedShare: 0, atRisk: false });
    expect(stageProgress({ ...base, confirmedHours: 800, today: '2026-12-31' })).toMatchObject({ elapsedShare: 100, lagPoints: 20, atRisk: false });
    expect(stageProgress({ ...base, confirmedHours: 799, today: '2026-12-31' }).atRisk).toBe(true);
  });

  it('confirmed hours above plan cap the share at 100 %', () => {
    expect(stageProgress({ ...base, confirmedHours: 1200, today: '2026-12-31' })).toMatchObject({ confirmedShare: 100, lagPoints: 0, atRisk: false });
  });
});
