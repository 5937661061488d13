import { NOTIFICATION_KINDS } from '../../notifications';
import { isoWeekday, namesZh, REMINDER_KINDS, reminderDedupeKey } from './reminder-kinds';

describe('reminder kinds', () => {
  it('every reminder kind is a notification kind (delivered as-is)', () => {
    expect(REMINDER_KINDS.filter((k) => !(NOTIFICATION_KINDS as readonly string[]).includes(k))).toEqual([]);
  });

  it('the dedupe key names kind, subject, threshold and day, and fits the notifications key (200 chars, no colon in the job id)', () => {
    const key = reminderDedupeKey('reminder.awaiting-mentor-escalated', '5b0c3d62-4a55-4f0e-9a56-2f6f7d1c9e01', '7d', '2026-12-02');
    expect(key).toBe('reminder.awaiting-mentor-escalated:5b0c3d62-4a55-4f0e-9a56-2f6f7d1c9e01:7d:2026-12-02');
    expect(key.length).toBeLessThanOrEqual(200);
  });

  it('ISO weekday of a date: Monday 1 … Sunday 7', () => {
    expect(['2026-11-30', '2026-12-01', '2026-12-05', '2026-12-06'].map(isoWeekday)).toEqual([1, 2, 6, 7]);
  });

  it('names up to five, then "等N人"', () => {
    expect(namesZh(['王芳', '张伟'], 2)).toBe('王芳、张伟');
    expect(namesZh(['甲', '乙', '丙', '丁', '戊'], 9)).toBe('甲、乙、丙、丁、戊等9人');
  });
});
