import { defineErrors } from '../../src/errors/error-catalog';

export const CohortErrors = defineErrors('COHORTS', {
  NOT_FOUND: { status: 404, zh: '未找到该班级', en: 'Cohort not found' },
  PROGRAMME_NOT_FOUND: { status: 422, zh: '专业不存在', en: 'The programme does not exist' },
  PLAN_VERSION_INVALID: {
    status: 422,
    zh: '培养方案版本须属于该专业，且为现行或已被替代的正式版本（草稿、待备案版本不能开班）',
    en: 'The plan version must belong to the programme and be a current or superseded version (not a draft or pending filing)',
  },
  TRACK_UNKNOWN: { status: 422, zh: '学制 {track} 不存在', en: 'Unknown schooling track {track}' },
  FLEXIBLE_SPLIT_REQUIRED: {
    status: 422,
    zh: '弹性学制须填写学制月数、高级工阶段月数及书面理由（R-TRK-2）',
    en: 'A flexible track needs its duration, senior-worker stage months and a written justification (R-TRK-2)',
  },
  FLEXIBLE_SPLIT_NOT_ALLOWED: {
    status: 422,
    zh: '{track} 学制的年限与分段由政策规定（R-TRK-1），不能自行填写；如需自定请选择弹性学制',
    en: 'The {track} track has fixed years and stages (R-TRK-1); choose the flexible track to set your own',
  },
  STAGE_NOT_SHORTER: { status: 422, zh: '高级工阶段须短于整个学制', en: 'The senior-worker stage must be shorter than the whole duration' },
  DUPLICATE_NAME: { status: 409, zh: '本校 {year} 级已有同名班级“{name}”', en: 'The college already has a {year} cohort named "{name}"' },
  ALREADY_STARTED: { status: 409, zh: '该班级已开班', en: 'The cohort has already started' },
  START_REFUSED: { status: 422, zh: '班级暂不能开班：{reasons}', en: 'The cohort cannot start: {reasonsEn}' },
});
