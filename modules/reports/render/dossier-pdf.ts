import { KpiLine } from '../domain/report';
import { chinaTime, kpiTable } from './kpi-pdf';
import { ReportPdf } from './report-pdf';

export interface DossierData {
  title: string;
  evaluationName: string;
  generatedAt: Date;
  programme: {
    collegeName: string;
    code: string;
    name: string;
    occupation: string;
    pilotStatus: string;
    planVersion: number | null;
    planStatus: string | null;
    planEffectiveAt: Date | null;
    classSize: number | null;
    planVersions: number;
    majorChanges: number;
  };
  team: { team: string; name: string; side: string; title: string | null; skill: string | null; role: string; field: string }[];
  partners: { name: string; status: string; startedOn: string | null; endedOn: string | null }[];
  cohorts: { name: string; intakeYear: number; status: string; startDate: string; students: number; enrolled: number }[];
  kpis: KpiLine;
  assessments: { kind: string; sheets: number; submitted: number; results: number; passed: number }[];
  evaluations: { scheduledOn: string; status: string; conclusion: string | null; concludedOn: string | null; reason: string | null }[];
}

const PILOT_STATUS: Record<string, string> = { candidate: '候选', applied: '已申报', active: '试点中', 'midterm-passed': '中期评估通过', completed: '已结业', suspended: '暂停', revoked: '已撤销' };
const PLAN_STATUS: Record<string, string> = { draft: '草稿', current: '现行', 'pending-filing': '待备案', superseded: '已被替代' };
const SIDE: Record<string, string> = { college: '院校', enterprise: '企业' };
const ROLE: Record<string, string> = { teacher: '教师', mentor: '导师', assessor: '考评员', lead: '负责人' };
const PARTNER_STATUS: Record<string, string> = { proposed: '拟合作', active: '合作中', ended: '已结束' };
const COHORT_STATUS: Record<string, string> = { planned: '未开班', started: '在读', completed: '已结业' };
const ASSESSMENT_KIND: Record<string, string> = { course: '课程考核', practice: '企业实践考核', terminal: '终结性考核', 'mid-term': '中期考核', defence: '答辩' };
const EVALUATION_STATUS: Record<string, string> = { scheduled: '已安排', concluded: '已结论' };
const CONCLUSION: Record<string, string> = { pass: '通过', rectify: '限期整改', fail: '不通过' };

const orDash = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? '—' : String(v));

/**
 * The evaluation dossier of a pilot programme (R-GOV-3): what the province's experts read
 * before a mid-term or completion evaluation, assembled from the records as they are now.
 */
export async function renderDossierPdf(d: DossierData): Promise<Buffer> {
  const pdf = new ReportPdf(d.title, d.title);
  const p = d.programme;
  pdf.title(d.title, `${p.collegeName} · 生成于 ${chinaTime(d.generatedAt)}（北京时间），据系统现有记录汇编`);

  pdf.heading('一、试点专业基本情况');
  pdf.facts([
    ['院校', p.collegeName],
    ['专业', `${p.name}（${p.code}）`],
    ['对应职业（工种）', p.occupation],
    ['试点状态', PILOT_STATUS[p.pilotStatus] ?? p.pilotStatus],
    ['评估类型', d.evaluationName],
  ]);

  pdf.heading('二、人才培养方案');
  pdf.facts([
    ['现行版本', p.planVersion === null ? '尚无现行版本' : `第 ${p.planVersion} 版（${PLAN_STATUS[p.planStatus ?? ''] ?? orDash(p.planStatus)}）`],
    ['生效时间', p.planEffectiveAt ? chinaTime(p.planEffectiveAt) : '—'],
    ['班额', orDash(p.classSize)],
    ['版本总数 / 重大调整次数', `${p.planVersions} / ${p.majorChanges}（重大调整须经党委会决定并报省备案，R-GOV-2）`],
  ]);

  pdf.heading('三、教学团队');
  const enterprise = d.team.filter((m) => m.side === 'enterprise').length;
  pdf.paragraph(`团队成员共 ${d.team.length} 人次，其中企业方 ${enterprise} 人次、院校方 ${d.team.length - enterprise} 人次。`);
  pdf.table(
    [{ header: '团队', width: 0.25 }, { header: '姓名', width: 0.12 }, { header: '所属', width: 0.08 }, { header: '团队角色', width: 0.1 }, { header: '职称 / 技能等级', width: 0.19 }, { header: '专业领域', width: 0.26 }],
    d.team.map((m) => [m.team, m.name, SIDE[m.side] ?? m.side, ROLE[m.role] ?? m.role, [m.title, m.skill].filter(Boolean).join(' / ') || '—', m.field]),
    { empty: '（尚未组建团队）' },
  );

  pdf.heading('四、合作企业');
  pdf.table(
    [{ header: '企业名称', width: 0.5 }, { header: '合作状态', width: 0.16 }, { header: '开始日期', width: 0.17 }, { header: '结束日期', width: 0.17 }],
    d.partners.map((x) => [x.name, PARTNER_STATUS[x.status] ?? x.status, orDash(x.startedOn), orDash(x.endedOn)]),
    { empty: '（暂无合作企业）' },
  );

  pdf.heading('五、班级');
  pdf.table(
    [{ header: '班级', width: 0.36 }, { header: '入学年份', width: 0.12, align: 'right' }, { header: '开班日期', width: 0.16 }, { header: '状态', width: 0.12 }, { header: '学生数', width: 0.12, align: 'right' }, { header: '在读', width: 0.12, align: 'right' }],
    d.cohorts.map((c) => [c.name, String(c.intakeYear), c.startDate, COHORT_STATUS[c.status] ?? c.status, String(c.students), String(c.enrolled)]),
    { empty: '（暂无班级）' },
  );

  pdf.heading('六、关键指标（DOMAIN §4）');
  kpiTable(pdf, d.kpis);

  pdf.heading('七、考核情况');
  pdf.table(
    [{ header: '考核类别', width: 0.28 }, { header: '考核表', width: 0.14, align: 'right' }, { header: '已提交', width: 0.14, align: 'right' }, { header: '已提交成绩', width: 0.16, align: 'right' }, { header: '合格', width: 0.14, align: 'right' }, { header: '合格率', width: 0.14, align: 'right' }],
    d.assessments.map((a) => [ASSESSMENT_KIND[a.kind] ?? a.kind, String(a.sheets), String(a.submitted), String(a.results), String(a.passed), a.results ? `${((a.passed / a.results) * 100).toFixed(1)}%` : '无数据']),
    { empty: '（暂无考核记录）' },
  );

  pdf.heading(`八、${d.evaluationName}记录`);
  pdf.table(
    [{ header: '安排日期', width: 0.16 }, { header: '状态', width: 0.12 }, { header: '结论', width: 0.14 }, { header: '结论日期', width: 0.16 }, { header: '说明', width: 0.42 }],
    d.evaluations.map((e) => [e.scheduledOn, EVALUATION_STATUS[e.status] ?? e.status, e.conclusion ? (CONCLUSION[e.conclusion] ?? e.conclusion) : '—', orDash(e.concludedOn), orDash(e.reason)]),
    { empty: `（尚未安排${d.evaluationName}）` },
  );
  return pdf.toBuffer();
}
