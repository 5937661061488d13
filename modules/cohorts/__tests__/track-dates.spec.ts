import { addMonths, scheduleOf, streamingCheckpoint, TrackFacts } from '../domain/track-dates';

const TRACKS: Record<string, TrackFacts> = {
  'junior-high': { code: 'junior-high', years: 6, seniorWorkerStageYears: 4, flexible: false },
  'senior-high': { code: 'senior-high', years: 4, seniorWorkerStageYears: 2, flexible: false },
  'secondary-vocational': { code: 'secondary-vocational', years: 3, seniorWorkerStageYears: 2, flexible: false },
  'higher-vocational': { code: 'higher-vocational', years: 2, seniorWorkerStageYears: 0, flexible: false },
  'bachelor-plus': { code: 'bachelor-plus', years: 1, seniorWorkerStageYears: 0, flexible: false },
  flexible: { code: 'flexible', years: null, seniorWorkerStageYears: null, flexible: true },
};

describe('cohort dates (R-TRK-1, R-TRK-2)', () => {
  it.each([
    ['junior-high', 72, 48, '2029-09-01', '2031-09-01'],
    ['senior-high', 48, 24, '2027-09-01', '2029-09-01'],
    ['secondary-vocational', 36, 24, '2027-09-01', '2028-09-01'],
    ['higher-vocational', 24, 0, null, '2027-09-01'],
    ['bachelor-plus', 12, 0, null, '2026-09-01'],
  ])('R-TRK-1 %s from 2025-09-01: %i months, senior-worker stage %i months', (code, duration, stage, stageEnd, graduation) => {
    expect(scheduleOf(TRACKS[code], '2025-09-01')).toEqual({
      durationMonths: duration,
      seniorWorkerStageMonths: stage,
      seniorWorkerStageEnd: stageEnd,
      expectedGraduation: graduation,
    });
  });

  it('R-TRK-1 leap day: 2024-02-29 + 4 years = 2028-02-29, + 2 years = 2026-02-28 (same day or the last day of the month)', () => {
    expect(scheduleOf(TRACKS['senior-high'], '2024-02-29')).toMatchObject({ seniorWorkerStageEnd: '2026-02-28', expectedGraduation: '2028-02-29' });
    expect(scheduleOf(TRACKS['bachelor-plus'], '2024-02-29')).toMatchObject({ expectedGraduation: '2025-02-28' });
    expect(addMonths('2024-08-31', 6)).toBe('2025-02-28');
    expect(addMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
  });

  it.each([
    ['junior-high', '2028-02-29', '2030-02-28'],
    ['senior-high', '2026-02-28', '2028-02-29'],
    ['secondary-vocational', '2026-02-28', '2027-02-28'],
    ['higher-vocational', null, '2026-02-28'],
    ['bachelor-plus', null, '2025-02-28'],
  ])('R-TRK-1 leap day: %s from 2024-02-29 ends its senior-worker stage %s and graduates %s', (code, stageEnd, graduation) => {
    expect(scheduleOf(TRACKS[code], '2024-02-29')).toMatchObject({ seniorWorkerStageEnd: stageEnd, expectedGraduation: graduation });
  });

  it('R-TRK-2 leap day: a flexible track from 2024-02-29 (48 months, stage 36) ends its stage 2027-02-28 and graduates 2028-02-29', () => {
    expect(scheduleOf(TRACKS.flexible, '2024-02-29', { durationMonths: 48, seniorWorkerStageMonths: 36, justification: '企业订单班' })).toEqual({
      durationMonths: 48,
      seniorWorkerStageMonths: 36,
      seniorWorkerStageEnd: '2027-02-28',
      expectedGraduation: '2028-02-29',
    });
  });

  it('R-TRK-2 a flexible track states its own split; a fixed track may not', () => {
    expect(scheduleOf(TRACKS.flexible, '2025-09-01', { durationMonths: 54, seniorWorkerStageMonths: 30, justification: '企业订单班' })).toEqual({
      durationMonths: 54,
      seniorWorkerStageMonths: 30,
      seniorWorkerStageEnd: '2028-03-01',
      expectedGraduation: '2030-03-01',
    });
    expect(scheduleOf(TRACKS.flexible, '2025-09-01')).toBe('FLEXIBLE_SPLIT_REQUIRED');
    expect(scheduleOf(TRACKS.flexible, '2025-09-01', { durationMonths: 24, seniorWorkerStageMonths: 24, justification: 'x' })).toBe('STAGE_NOT_SHORTER');
    expect(scheduleOf(TRACKS['senior-high'], '2025-09-01', { durationMonths: 24, seniorWorkerStageMonths: 12, justification: 'x' })).toBe('FLEXIBLE_SPLIT_NOT_ALLOWED');
  });

  it('R-EVA-1 streaming checkpoint: the end of the senior-worker stage by default, the setting when given, mid-term without a stage', () => {
    expect(streamingCheckpoint('2025-09-01', { durationMonths: 48, seniorWorkerStageMonths: 24 }, null)).toBe('2027-09-01');
    expect(streamingCheckpoint('2025-09-01', { durationMonths: 48, seniorWorkerStageMonths: 24 }, 18)).toBe('2027-03-01');
    expect(streamingCheckpoint('2025-09-01', { durationMonths: 24, seniorWorkerStageMonths: 0 }, null)).toBe('2026-09-01');
  });
});
