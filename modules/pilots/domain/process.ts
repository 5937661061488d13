/**
 * The application life cycle (DOMAIN §5) as this module stores it.
 *
 * Application: draft → submitted → under-review → (returned → submitted) → decided.
 * Each programme of it: pending → approved | rejected | returned; approved → in-publicity
 * → announced → filed; an upheld objection turns in-publicity into rejected.
 */
export const APPLICATION_STATUSES = ['draft', 'submitted', 'under-review', 'returned', 'decided'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const PROGRAMME_STAGES = ['pending', 'approved', 'returned', 'rejected', 'in-publicity', 'announced', 'filed'] as const;
export type ProgrammeStage = (typeof PROGRAMME_STAGES)[number];

export const DECISIONS = ['approve', 'reject', 'return'] as const;
export type Decision = (typeof DECISIONS)[number];

export const RECOMMENDATIONS = ['approve', 'reject', 'revise'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export const STATUS_ZH: Record<string, string> = {
  draft: '草稿',
  submitted: '已提交',
  'under-review': '评审中',
  returned: '退回修改',
  decided: '已决定',
  open: '公示中',
  announced: '已公布',
  filed: '已备案',
};

/** R-APP-5: a public notice lasts 5 working days after the day of publication. */
export const PUBLICITY_WORKING_DAYS = 5;

export interface ReviewCriterion {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** R-APP-4: these three are always scored; a notice may add more. */
export const MANDATORY_REVIEW_CRITERIA: ReviewCriterion[] = [
  { code: 'industry-fit', nameZh: '专业与产业契合度', nameEn: 'Programme–industry fit' },
  { code: 'enterprise-resources', nameZh: '企业资源真实性', nameEn: 'Genuineness of enterprise resources' },
  { code: 'assessment-scheme', nameZh: '考核方案合理性', nameEn: 'Soundness of the assessment scheme' },
];

/** R-APP-7 ③: the management scheme's three documents. */
export const MANAGEMENT_SCHEME_ITEMS = [
  { key: 'assessmentSchemeAttachmentId', zh: '考核评价方案', en: 'assessment scheme' },
  { key: 'managementRulesAttachmentId', zh: '管理制度', en: 'management rules' },
  { key: 'enrolmentEmploymentPlanAttachmentId', zh: '招生与就业计划', en: 'enrolment and employment plan' },
] as const;

export type ManagementScheme = Partial<Record<(typeof MANAGEMENT_SCHEME_ITEMS)[number]['key'], string>>;

/** R-APP-7 ②: for each partner enterprise its qualification documents and the agreement. */
export interface PartnerMaterials {
  enterpriseId: string;
  qualificationAttachmentIds: string[];
  agreementId: string | null;
}

/** How a decided application settles: any programme returned → returned, else decided. */
export function statusAfterDecisions(stages: ProgrammeStage[]): ApplicationStatus {
  return stages.includes('returned') ? 'returned' : 'decided';
}
