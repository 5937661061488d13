import type { PlanContent } from '../../training-plans';

/**
 * The assessment items of a cohort's plan version (R-EVA-3, issue 11). The plan carries
 * courses per stage, practice stages and assessment arrangements (`process` / `terminal`
 * with a pass mark); every item below is one assessment sheet per cohort.
 *
 * - course `course:<stage>:<course>`: each course of each stage, pass mark = the plan's
 *   first process assessment's pass mark (60 when the plan has none), score 0–100;
 * - practice `practice:<i>`: each practice stage, pass / fail (enterprise side);
 * - terminal `terminal:<i>`: each terminal assessment, score + "judged technician level"
 *   (enterprise side);
 * - mid-term `mid-term`: score, pass mark 60 (feeds streaming, R-EVA-1), college side;
 * - defence `defence`: score, pass mark 60, pre-filled from the projects' defence reviews.
 */
export const ASSESSMENT_KINDS = ['course', 'practice', 'terminal', 'mid-term', 'defence'] as const;
export type SheetKind = (typeof ASSESSMENT_KINDS)[number];
export const SCORINGS = ['score', 'pass-fail'] as const;
export type Scoring = (typeof SCORINGS)[number];
export type Side = 'college' | 'enterprise';

export const KIND_ZH: Record<SheetKind, string> = { course: '课程考核', practice: '企业实践考核', terminal: '终结性考评', 'mid-term': '中期考核', defence: '项目答辩' };

/** R-EVA-3: who enters each kind. */
export const SIDE_OF: Record<SheetKind, Side> = { course: 'college', practice: 'enterprise', terminal: 'enterprise', 'mid-term': 'college', defence: 'college' };

export const DEFAULT_PASS_MARK = 60;

export interface PlanItem {
  itemKey: string;
  kind: SheetKind;
  name: string;
  scoring: Scoring;
  passMark: number | null;
  stageIndex: number | null;
}

export function planItems(content: PlanContent): PlanItem[] {
  const processMark = content.assessments?.find((a) => a.kind === 'process')?.passMark ?? DEFAULT_PASS_MARK;
  const items: PlanItem[] = [];
  (content.stages ?? []).forEach((s, si) =>
    (s.courses ?? []).forEach((c, ci) => items.push({ itemKey: `course:${si}:${ci}`, kind: 'course', name: c.name, scoring: 'score', passMark: processMark, stageIndex: null })),
  );
  (content.practiceStages ?? []).forEach((p, i) => items.push({ itemKey: `practice:${i}`, kind: 'practice', name: p.name, scoring: 'pass-fail', passMark: null, stageIndex: i }));
  (content.assessments ?? []).forEach((a, i) => {
    if (a.kind === 'terminal') items.push({ itemKey: `terminal:${i}`, kind: 'terminal', name: a.name, scoring: 'score', passMark: a.passMark, stageIndex: null });
  });
  items.push({ itemKey: 'mid-term', kind: 'mid-term', name: '中期考核（分段分流）', scoring: 'score', passMark: DEFAULT_PASS_MARK, stageIndex: null });
  items.push({ itemKey: 'defence', kind: 'defence', name: '项目答辩评审', scoring: 'score', passMark: DEFAULT_PASS_MARK, stageIndex: null });
  return items;
}

export interface ResultInput {
  score?: number | null;
  passed?: boolean | null;
  judgedTechnician?: boolean | null;
}

/** Problems of one row's values against its sheet; `passed` as the sheet decides it. */
export function judge(sheet: { kind: SheetKind; scoring: Scoring; passMark: number | null }, r: ResultInput): { passed: boolean; score: number | null } | { zh: string; en: string; field: string }[] {
  const problems: { zh: string; en: string; field: string }[] = [];
  let passed: boolean | undefined;
  let score: number | null = null;
  if (sheet.scoring === 'score') {
    if (r.score === undefined || r.score === null) problems.push({ field: 'score', zh: '须填写成绩（0–100，可精确到 0.5 分）', en: 'A score (0–100, in steps of 0.5) is required' });
    else if (!(r.score >= 0 && r.score <= 100) || Math.round(r.score * 2) !== r.score * 2) problems.push({ field: 'score', zh: '成绩须在 0–100 之间，最小单位 0.5 分', en: 'The score must be 0–100 in steps of 0.5' });
    else {
      score = r.score;
      passed = r.score >= (sheet.passMark ?? DEFAULT_PASS_MARK);
    }
    if (r.passed !== undefined && r.passed !== null) problems.push({ field: 'passed', zh: '该考核按分数评定，不填“合格/不合格”（由及格线自动判定）', en: 'This item is scored; pass/fail follows from the pass mark' });
  } else {
    if (r.score !== undefined && r.score !== null) problems.push({ field: 'score', zh: '该考核按合格/不合格评定，不填分数', en: 'This item is pass/fail; no score' });
    if (typeof r.passed !== 'boolean') problems.push({ field: 'passed', zh: '须填写是否合格', en: 'Pass or fail is required' });
    else passed = r.passed;
  }
  if (sheet.kind === 'terminal') {
    if (typeof r.judgedTechnician !== 'boolean') problems.push({ field: 'judgedTechnician', zh: '终结性考评须填写“是否评定达到技师水平”', en: 'A terminal result says whether the student is judged technician level' });
  } else if (r.judgedTechnician !== undefined && r.judgedTechnician !== null) {
    problems.push({ field: 'judgedTechnician', zh: '只有终结性考评填写“是否达到技师水平”', en: 'Only terminal results carry the technician-level judgement' });
  }
  return problems.length ? problems : { passed: passed!, score };
}
