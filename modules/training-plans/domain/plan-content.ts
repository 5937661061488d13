/**
 * The structured content of a training plan (R-TRN-2): built on the national occupational
 * skill standard, stages per track made of integrated work tasks with hours, practice
 * stages at enterprise sites or learning factories (R-TRN-4), assessment arrangements and
 * the five integrations.
 */
export const PLAN_TRACKS = ['senior-worker', 'technician'] as const;
export type PlanTrack = (typeof PLAN_TRACKS)[number];
export const SITE_TYPES = ['enterprise', 'learning-factory'] as const;
export type SiteType = (typeof SITE_TYPES)[number];
export const ASSESSMENT_KINDS = ['process', 'terminal'] as const;
export type AssessmentKind = (typeof ASSESSMENT_KINDS)[number];

export interface PlanCourse {
  name: string;
  /** the typical work task the course is built from (工学一体化) */
  workTask: string | null;
  hours: number;
  skillStandardItems: string[];
}

export interface PlanStage {
  track: PlanTrack;
  name: string;
  courses: PlanCourse[];
}

export interface PracticeStage {
  name: string;
  track: PlanTrack | null;
  plannedHours: number;
  siteType: SiteType;
}

export interface AssessmentArrangement {
  kind: AssessmentKind;
  name: string;
  passMark: number;
  method: string | null;
}

export interface FiveIntegrations {
  curriculum: string;
  resources: string;
  methods: string;
  venues: string;
  teachers: string;
}

export interface PlanContent {
  occupationStandard: { code: string; name: string };
  stages: PlanStage[];
  practiceStages: PracticeStage[];
  assessments: AssessmentArrangement[];
  integrations: FiveIntegrations;
  classSize: number;
}

type Loose<T, K extends keyof T> = Omit<T, K> & { [P in K]?: T[P] | undefined };

/** Content as a request carries it: optional fields may be absent. */
export type PlanContentInput = Omit<PlanContent, 'stages' | 'practiceStages' | 'assessments'> & {
  stages: (Omit<PlanStage, 'courses'> & { courses: Loose<PlanCourse, 'workTask'>[] })[];
  practiceStages: Loose<PracticeStage, 'track'>[];
  assessments: Loose<AssessmentArrangement, 'method'>[];
};

/** What a change touches. The first three are a major change (R-GOV-2). */
export const PLAN_AREAS = ['course-system', 'assessment', 'training-projects', 'integrations', 'class-size'] as const;
export type PlanArea = (typeof PLAN_AREAS)[number];
export const MAJOR_AREAS: readonly PlanArea[] = ['course-system', 'assessment', 'training-projects'];

/** Rebuilds the content with a fixed key order, so two equal plans serialise equally. */
export function normalizeContent(c: PlanContentInput): PlanContent {
  return {
    occupationStandard: { code: c.occupationStandard.code, name: c.occupationStandard.name },
    stages: c.stages.map((s) => ({
      track: s.track,
      name: s.name,
      courses: s.courses.map((k) => ({
        name: k.name,
        workTask: k.workTask ?? null,
        hours: k.hours,
        skillStandardItems: [...k.skillStandardItems],
      })),
    })),
    practiceStages: c.practiceStages.map((p) => ({ name: p.name, track: p.track ?? null, plannedHours: p.plannedHours, siteType: p.siteType })),
    assessments: c.assessments.map((a) => ({ kind: a.kind, name: a.name, passMark: a.passMark, method: a.method ?? null })),
    integrations: {
      curriculum: c.integrations.curriculum,
      resources: c.integrations.resources,
      methods: c.integrations.methods,
      venues: c.integrations.venues,
      teachers: c.integrations.teachers,
    },
    classSize: c.classSize,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** R-GOV-2: which areas differ between two versions. */
export function changedAreas(before: PlanContent, after: PlanContent): PlanArea[] {
  const a = normalizeContent(before);
  const b = normalizeContent(after);
  const areas: PlanArea[] = [];
  if (!same(a.occupationStandard, b.occupationStandard) || !same(a.stages, b.stages)) areas.push('course-system');
  if (!same(a.assessments, b.assessments)) areas.push('assessment');
  if (!same(a.practiceStages, b.practiceStages)) areas.push('training-projects');
  if (!same(a.integrations, b.integrations)) areas.push('integrations');
  if (a.classSize !== b.classSize) areas.push('class-size');
  return areas;
}

export function isMajor(areas: readonly PlanArea[]): boolean {
  return areas.some((x) => MAJOR_AREAS.includes(x));
}

export interface PlanTotals {
  seniorWorkerHours: number;
  technicianHours: number;
  courseHours: number;
  practiceHours: number;
}

export function totalsOf(c: PlanContent): PlanTotals {
  const hoursOf = (track: PlanTrack) =>
    c.stages.filter((s) => s.track === track).reduce((n, s) => n + s.courses.reduce((m, k) => m + k.hours, 0), 0);
  const seniorWorkerHours = hoursOf('senior-worker');
  const technicianHours = hoursOf('technician');
  return {
    seniorWorkerHours,
    technicianHours,
    courseHours: seniorWorkerHours + technicianHours,
    practiceHours: c.practiceStages.reduce((n, p) => n + p.plannedHours, 0),
  };
}

/** Problems class-validator cannot see: a plan for technician level has a technician stage, and a terminal assessment. */
export function contentProblems(c: PlanContent): { field: string; zh: string; en: string }[] {
  const out: { field: string; zh: string; en: string }[] = [];
  if (!c.stages.some((s) => s.track === 'technician')) {
    out.push({ field: 'content.stages', zh: '培养方案须包含至少一个技师阶段（technician）', en: 'The plan needs at least one technician stage' });
  }
  if (!c.assessments.some((a) => a.kind === 'terminal')) {
    out.push({ field: 'content.assessments', zh: '培养方案须包含终结性考评安排', en: 'The plan needs a terminal assessment' });
  }
  return out;
}

export const DEFAULT_CLASS_SIZE_WARNING = 30;

/** R-TRN-2: a class above the setting is a warning, never an error. */
export function classSizeWarning(classSize: number, threshold: number): { code: string; zh: string; en: string } | null {
  if (classSize <= threshold) return null;
  return {
    code: 'PLANS.CLASS_SIZE_ABOVE_RECOMMENDED',
    zh: `计划班级规模 ${classSize} 人，超过建议的 ${threshold} 人；学制技师培养提倡小班化、项目化教学（R-TRN-2）`,
    en: `The intended class size of ${classSize} is above the recommended ${threshold}; small classes and project teaching are encouraged (R-TRN-2)`,
  };
}
