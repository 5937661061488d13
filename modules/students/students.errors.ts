import { defineErrors } from '../../src/errors/error-catalog';

export const StudentErrors = defineErrors('STUDENTS', {
  NOT_FOUND: { status: 404, zh: '未找到该学生', en: 'Student not found' },
  REVEAL_RATE_LIMITED: {
    status: 429,
    zh: '查看敏感信息过于频繁（每小时最多 {limit} 次），请 {minutes} 分钟后再试',
    en: 'Too many reveals (at most {limit} an hour); try again in {minutes} minutes',
  },
  APPLICANT_NOT_FOUND: { status: 404, zh: '未找到该报名考生', en: 'Applicant not found' },
  IMPORT_NOT_FOUND: { status: 404, zh: '未找到该导入任务', en: 'Import not found' },
  INVALID: { status: 422, zh: '学生信息有误：{reasons}', en: 'The student record is not valid: {reasons}' },
  ENTRY_LEVEL_MISMATCH: {
    status: 422,
    zh: '入学起点“{level}”与班级学制“{track}”不符：该学制只招收{track}（R-TRK-3）',
    en: 'Entry level {levelEn} does not match the cohort track {trackEn} (R-TRK-3)',
  },
  DUPLICATE_ID_NUMBER: {
    status: 409,
    zh: '该身份证号已在本校登记（{where}），同一学院内不能重复',
    en: 'This ID number is already registered in the college ({whereEn})',
  },
  DUPLICATE_APPLICANT: { status: 409, zh: '该身份证号已在本班报名', en: 'This ID number has already applied to the cohort' },
  APPLICANT_DECIDED: { status: 409, zh: '该考生已有录取结果（{result}）', en: 'The applicant already has a result ({result})' },
  NO_PENDING_APPLICANTS: { status: 422, zh: '本班没有待录取的考生', en: 'The cohort has no pending applicants' },
  ADMISSION_CONFLICTS: { status: 422, zh: '以下考生已是本校学生，不能重复录取：{names}', en: 'These applicants are already students of the college: {names}' },
  COHORT_CLOSED: { status: 409, zh: '班级已结业，不能再录取或导入学生', en: 'The cohort is completed; no more students can be added' },
  TRANSITION_NOT_ALLOWED: {
    status: 409,
    zh: '学生当前状态为“{from}”，不能变更为“{to}”',
    en: 'A student in state {from} cannot become {to}',
  },
  DATE_BEFORE_ENROLMENT: { status: 422, zh: '变更日期不能早于入学日期 {on}', en: 'The date cannot be before enrolment on {on}' },
  NOT_STARTED: { status: 409, zh: '班级尚未开班，不能进行分段分流', en: 'The cohort has not started; streaming is not possible yet' },
  CHECKPOINT_NOT_REACHED: {
    status: 422,
    zh: '分流节点为 {checkpoint}，尚未到达（R-EVA-1）',
    en: 'The streaming checkpoint is {checkpoint}; it has not been reached (R-EVA-1)',
  },
  STREAMING_INVALID: { status: 422, zh: '分流决定有误：{reasons}', en: 'The streaming decisions are not valid: {reasons}' },
  IMPORT_INVALID: { status: 422, zh: '导入文件有 {count} 处错误，未写入任何数据', en: 'The file has {count} errors; nothing was written' },
  IMPORT_FILE_REQUIRED: { status: 400, zh: '请上传 Excel（.xlsx）或 CSV 文件（表单字段 file）', en: 'Upload an .xlsx or .csv file (form field "file")' },
  IMPORT_FORMAT: { status: 415, zh: '仅支持 Excel（.xlsx）或 CSV 文件', en: 'Only .xlsx and .csv files are supported' },
  IMPORT_TOO_MANY_ROWS: { status: 413, zh: '导入文件超过 {max} 行的上限，请拆分后分批导入', en: 'The file has more than {max} rows; split it and import in parts' },
  IMPORT_TOO_LARGE: {
    status: 413,
    zh: '导入文件解压后超过 {mb} MB 的上限，请拆分后分批导入',
    en: 'The file unpacks to more than {mb} MB; split it and import in parts',
  },
  IMPORT_UNREADABLE: { status: 422, zh: '无法读取文件：{reason}', en: 'The file cannot be read: {reason}' },
  IMPORT_HEADERS: { status: 422, zh: '表头缺少必填列：{columns}（请使用导入模板）', en: 'Required columns are missing: {columns} (use the template)' },
});
