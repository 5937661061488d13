import { defineErrors } from '../../src/errors/error-catalog';

export const GraduateErrors = defineErrors('GRADUATES', {
  STUDENT_NOT_FOUND: { status: 404, zh: '未找到该学生', en: 'Student not found' },
  COHORT_NOT_FOUND: { status: 404, zh: '未找到该班级', en: 'Cohort not found' },
  RECORD_NOT_FOUND: { status: 404, zh: '未找到该就业记录', en: 'Employment record not found' },
  NOT_ENROLLED: {
    status: 422,
    zh: '只有在读学生可以毕业（当前状态：{status}）；分流或退学的学生不是学制技师班毕业生',
    en: 'Only an enrolled student can graduate (status now: {status}); streamed-out or withdrawn students never graduate from the technician class',
  },
  NOT_ELIGIBLE: { status: 422, zh: '不满足毕业条件（R-EVA-3）：{reasons}', en: 'Not eligible to graduate (R-EVA-3): {reasonsEn}' },
  GRADUATION_DATE: { status: 422, zh: '毕业日期不能早于入学日期，也不能晚于今天', en: 'The graduation date cannot be before enrolment or after today' },
  NOT_A_GRADUATE: { status: 422, zh: '该学生尚未毕业，不能登记毕业生跟踪信息', en: 'The student has not graduated; graduate tracking starts at graduation' },
  COHORT_NOT_FINISHED: {
    status: 422,
    zh: '班级尚有 {count} 名学生未毕业、未离校也未分流，不能结业：{names}',
    en: 'The cohort still has {count} students who have not graduated, left or been streamed out: {names}',
  },
  COHORT_NOT_STARTED: { status: 422, zh: '班级尚未开班，不能结业', en: 'The cohort has not started and cannot complete' },
  COHORT_ALREADY_COMPLETED: { status: 409, zh: '班级已结业', en: 'The cohort has already completed' },
  BAD_USCC: { status: 422, zh: '统一社会信用代码无效：{reason}', en: 'The unified social credit code is not valid: {reasonEn}' },
  EMPLOYER_NOT_FOUND: { status: 422, zh: '用人单位不在企业名录中', en: 'The employer is not in the enterprise registry' },
  EMPLOYER_REQUIRED: { status: 422, zh: '请选择名录中的企业或填写用人单位名称', en: 'Choose a registry enterprise or give the employer name' },
  RECORD_DATES: { status: 422, zh: '就业结束日期不能早于开始日期', en: 'The end date cannot be before the start date' },
  RECORD_BEFORE_GRADUATION: { status: 422, zh: '就业开始日期不能早于入学日期', en: 'Employment cannot start before the student enrolled' },
  FOLLOW_UP_EXISTS: { status: 409, zh: '该毕业生在该跟踪节点（毕业后 {months} 个月）已有记录', en: 'A follow-up at {months} months after graduation already exists' },
  FOLLOW_UP_CHECKPOINT: {
    status: 422,
    zh: '跟踪节点应为设置中的毕业后 {allowed} 个月之一',
    en: 'The checkpoint must be one of the configured months after graduation: {allowed}',
  },
  FOLLOW_UP_DATE: { status: 422, zh: '跟踪日期不能早于毕业日期，也不能晚于今天', en: 'The follow-up date cannot be before graduation or after today' },
  FOLLOW_UP_RECORD: { status: 422, zh: '就业跟踪结果为“就业”时须关联该毕业生的就业记录', en: 'An "employed" follow-up must link one of the graduate’s employment records' },
  STALE_VERSION: { status: 409, zh: '记录已被他人修改，请刷新后重试', en: 'The record was changed by someone else; reload and retry' },
  BENCHMARK_OVERLAP: {
    status: 409,
    zh: '{city} 在该期间已有生效的薪酬基准',
    en: 'A pay benchmark for {city} is already in force in that period',
  },
  BENCHMARK_DATES: { status: 422, zh: '基准失效日期不能早于生效日期', en: 'The end of the benchmark cannot be before its start' },
});
