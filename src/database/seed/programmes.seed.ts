import { EntityManager } from 'typeorm';
import { SeedStep } from './seed-context';

/**
 * Demo programmes (专业) and their training plans (R-PRG-1, R-PRG-2, R-TRN-2, R-GOV-2):
 * for every demo college 2–3 programmes linked to real 双十 clusters with talent-gap
 * evidence, a current plan version passed by the steering committee, and (one per
 * college) a major change still waiting for the party committee and the filing.
 * Tenant tables: each college's rows are written in a transaction pinned to it.
 * Idempotent: programmes upsert on (tenant, lower(code)); plans on (programme, version).
 */

interface DemoProgramme {
  code: string;
  name: string;
  occupation: { code: string; name: string };
  clusters: string[];
  gap: { evidence: string; number: number | null };
  priority: { kind: string; description: string; evidence: string; year: number | null }[];
  /** the technician-stage courses: [name, work task, hours, skill items] */
  courses: [string, string, number, string[]][];
  classSize: number;
  pendingMajor?: boolean;
}

const PROGRAMMES: Record<string, DemoProgramme[]> = {
  gzgm: [
    {
      code: 'SKJG-01',
      name: '数控加工（数控车工）',
      occupation: { code: '6-18-01-01', name: '车工' },
      clusters: ['E02', 'E10'],
      gap: { evidence: '广州市先进制造业协会 2025 年调研：全市数控加工领域技师级人才缺口约 3200 人，精密零件企业普遍反映高技能复合型人才招聘困难。', number: 3200 },
      priority: [
        { kind: 'worldskills-conversion', description: '第 46 届世界技能大赛数控车项目集训基地，将世赛技术标准转化为 6 个教学项目', evidence: '集训基地授牌文件；转化课程教学资料', year: 2023 },
        { kind: 'preparatory-technician-class', description: '2021 年起开设预备技师班 3 届，共 112 人', evidence: '招生计划批复及毕业生名册', year: 2021 },
      ],
      courses: [
        ['复杂轴类零件数控车削加工', '细长轴、偏心轴车削', 200, ['2.1.1 能编制细长轴加工工艺', '2.2.3 能使用跟刀架车削细长轴']],
        ['车铣复合零件加工', '车铣复合件加工', 180, ['2.3.1 能操作车铣复合机床']],
        ['车削工艺改进与技术革新', '工装夹具改进项目', 160, ['2.4.1 能进行工艺改进', '2.5.1 能指导初级工']],
      ],
      classSize: 28,
      pendingMajor: true,
    },
    {
      code: 'GYJQR-02',
      name: '工业机器人应用与维护',
      occupation: { code: '6-31-01-10', name: '工业机器人系统运维员' },
      clusters: ['E03'],
      gap: { evidence: '广州开发区智能装备企业调研：工业机器人系统集成与运维技师级人才缺口约 1500 人。', number: 1500 },
      priority: [{ kind: 'technician-class', description: '2024 年试办学制技师班 1 个，学生 30 人', evidence: '省人社厅试办批复', year: 2024 }],
      courses: [
        ['工业机器人工作站故障诊断与维修', '焊接工作站故障排除', 200, ['2.1.2 能诊断机器人本体故障']],
        ['机器人离线编程与虚拟调试', '码垛产线虚拟调试', 160, ['2.2.1 能进行离线编程与仿真']],
      ],
      classSize: 30,
    },
  ],
  fsjs: [
    {
      code: 'XNYQC-01',
      name: '新能源汽车检测与维修',
      occupation: { code: '4-12-01-01', name: '汽车维修工' },
      clusters: ['P04', 'E06'],
      gap: { evidence: '佛山市汽车产业链企业调研：新能源汽车高压系统检测与维修技师级人才缺口约 2100 人。', number: 2100 },
      priority: [],
      courses: [
        ['动力电池系统检测与维修', '电池包绝缘故障排查', 200, ['2.1.1 能检测动力电池系统绝缘性能']],
        ['驱动电机与控制系统维修', '电驱系统故障诊断', 180, ['2.2.2 能诊断驱动电机控制器故障']],
      ],
      classSize: 32,
      pendingMajor: true,
    },
    {
      code: 'DQZDH-02',
      name: '电气自动化设备安装与维修',
      occupation: { code: '6-31-01-03', name: '电工' },
      clusters: ['P03', 'E02'],
      gap: { evidence: '顺德家电产业集群调研：自动化产线电气安装调试与维修技师级人才缺口约 1800 人。', number: null },
      priority: [{ kind: 'preparatory-technician-class', description: '2022 年起开设预备技师班 2 届', evidence: '教学计划与学籍名册', year: 2022 }],
      courses: [
        ['自动化产线电气系统安装调试', '家电总装线电气调试', 200, ['2.1.3 能安装调试 PLC 控制系统']],
        ['供配电系统运行维护', '车间配电系统改造', 160, ['2.3.1 能进行供配电系统维护']],
      ],
      classSize: 28,
    },
  ],
  hyjs: [
    {
      code: 'DQZDH-01',
      name: '电气自动化设备安装与维修',
      occupation: { code: '6-31-01-03', name: '电工' },
      clusters: ['E06'],
      gap: { evidence: '河源市新能源与电子信息企业调研：电气设备安装维修技师级人才缺口约 600 人。', number: 600 },
      priority: [],
      courses: [
        ['光伏电站电气设备安装与维护', '分布式光伏并网调试', 180, ['2.1.1 能安装调试光伏并网设备']],
        ['PLC 与变频调速系统维修', '水泵变频系统维修', 160, ['2.2.1 能维修变频调速系统']],
      ],
      classSize: 25,
      pendingMajor: true,
    },
    {
      code: 'DZJS-02',
      name: '电子技术应用',
      occupation: { code: '6-25-04-01', name: '电子设备装接工' },
      clusters: ['P01'],
      gap: { evidence: '河源高新区电子信息企业反映 SMT 产线工艺与设备维护技师级人才紧缺，缺口约 450 人。', number: 450 },
      priority: [],
      courses: [
        ['SMT 产线工艺优化', '贴片良率提升项目', 180, ['2.1.2 能优化回流焊工艺参数']],
        ['电子产品故障分析与维修', '控制板故障定位', 160, ['2.2.1 能分析电子产品典型故障']],
      ],
      classSize: 30,
    },
  ],
};

function content(p: DemoProgramme, extraCourse?: [string, string, number, string[]]) {
  const technician = extraCourse ? [...p.courses, extraCourse] : p.courses;
  return {
    occupationStandard: { code: p.occupation.code, name: `${p.occupation.name}国家职业技能标准` },
    stages: [
      {
        track: 'senior-worker',
        name: '高级工阶段',
        courses: [
          { name: `${p.occupation.name}基础技能`, workTask: '典型零部件加工与装调', hours: 480, skillStandardItems: ['3.1.1 高级工基本技能'] },
          { name: `${p.name}综合实训`, workTask: '企业真实产品生产任务', hours: 360, skillStandardItems: ['3.2.1 高级工综合技能'] },
        ],
      },
      {
        track: 'technician',
        name: '技师阶段',
        courses: technician.map(([name, workTask, hours, skillStandardItems]) => ({ name, workTask, hours, skillStandardItems })),
      },
    ],
    practiceStages: [
      { name: '校内学习型工厂生产性实训', track: 'senior-worker', plannedHours: 320, siteType: 'learning-factory' },
      { name: '合作企业岗位实践', track: 'technician', plannedHours: 640, siteType: 'enterprise' },
    ],
    assessments: [
      { kind: 'process', name: '一体化课程过程性考评', passMark: 60, method: '任务工单、过程记录与成果验收' },
      { kind: 'terminal', name: '技师阶段终结性考评（企业参与）', passMark: 70, method: '实操作品、技术总结与答辩' },
    ],
    integrations: {
      curriculum: `依据${p.occupation.name}国家职业技能标准，将合作企业典型工作任务转化为一体化课程`,
      resources: '校企共建工作页、微课、企业真实图纸与案例资源库',
      methods: '任务驱动、项目教学，按“任务工单－过程记录－成果验收”组织教学',
      venues: '校内学习型工厂与合作企业生产车间一体化设置',
      teachers: '院校导师与企业导师 1+1 组成教学和考评团队',
    },
    classSize: p.classSize,
  };
}

const EXPERTS = [
  { name: '陈国华', title: '正高级工程师', organisation: '广东省机械工程学会' },
  { name: '林秀英', title: '正高级讲师', organisation: '广东省职业技能鉴定指导中心' },
  { name: '黄志明', title: '高级技师', organisation: '广州精工数控设备有限公司（演示）' },
];

async function upsertPlan(
  m: EntityManager,
  tenantId: string,
  programmeId: string,
  v: { versionNo: number; status: string; changeKind: string; summary: string | null; areas: string[]; body: ReturnType<typeof content> },
): Promise<{ id: string; inserted: number }> {
  const rows: { id: string }[] = await m.query(
    `INSERT INTO training_plans (tenant_id, programme_id, version_no, status, change_kind, change_summary, changed_areas,
                                 based_on_version, occupation_code, class_size, content, effective_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (tenant_id, programme_id, version_no) DO NOTHING RETURNING id`,
    [
      tenantId,
      programmeId,
      v.versionNo,
      v.status,
      v.changeKind,
      v.summary,
      v.areas,
      v.versionNo > 1 ? v.versionNo - 1 : null,
      v.body.occupationStandard.code,
      v.body.classSize,
      JSON.stringify(v.body),
      v.status === 'current' ? new Date() : null,
    ],
  );
  if (rows.length) return { id: rows[0].id, inserted: 1 };
  const found: { id: string }[] = await m.query(
    'SELECT id FROM training_plans WHERE tenant_id = $1 AND programme_id = $2 AND version_no = $3',
    [tenantId, programmeId, v.versionNo],
  );
  return { id: found[0].id, inserted: 0 };
}

export const programmesSeed: SeedStep = {
  name: 'programmes',
  async run(ctx) {
    for (const [collegeCode, programmes] of Object.entries(PROGRAMMES)) {
      const tenantId = ctx.ids.tenants.get(collegeCode);
      if (!tenantId) throw new Error(`programmes seed: unknown college ${collegeCode}`);
      await ctx.tx({ tenantId }, async (m) => {
        for (const p of programmes) {
          const created: { id: string }[] = await m.query(
            `INSERT INTO programmes (tenant_id, code, name, occupation_code, occupation_name, cluster_codes,
                                     talent_gap_evidence, talent_gap_number, priority_experience)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (tenant_id, (lower(code))) DO NOTHING RETURNING id`,
            [tenantId, p.code, p.name, p.occupation.code, p.occupation.name, p.clusters, p.gap.evidence, p.gap.number, JSON.stringify(p.priority)],
          );
          ctx.count('programmes', created.length);
          const programmeId =
            created[0]?.id ??
            (await m.query('SELECT id FROM programmes WHERE tenant_id = $1 AND lower(code) = lower($2)', [tenantId, p.code]))[0].id;

          const v1 = await upsertPlan(m, tenantId, programmeId, {
            versionNo: 1,
            status: 'current',
            changeKind: 'initial',
            summary: `${p.name}学制技师人才培养方案`,
            areas: [],
            body: content(p),
          });
          ctx.count('training_plans', v1.inserted);
          if (v1.inserted) {
            // R-PRG-2: the steering committee passed the current version.
            await m.query(
              `INSERT INTO training_plan_reviews (tenant_id, plan_id, reviewed_on, experts, conclusion, notes)
               VALUES ($1, $2, '2026-03-18', $3, 'passed', '方案符合工学一体化要求，同意实施')`,
              [tenantId, v1.id, JSON.stringify(EXPERTS)],
            );
            ctx.count('training_plan_reviews', 1);
          }
          if (p.pendingMajor) {
            // R-GOV-2: a major change (course system) waits for the party committee and the filing.
            const v2 = await upsertPlan(m, tenantId, programmeId, {
              versionNo: 2,
              status: 'pending-filing',
              changeKind: 'major',
              summary: '根据合作企业新产线，技师阶段新增一门一体化课程',
              areas: ['course-system'],
              body: content(p, ['新产线工艺与智能制造技术应用', '新产线试产工艺验证', 120, ['2.6.1 能参与新工艺试制与验证']]),
            });
            ctx.count('training_plans', v2.inserted);
          }
        }
      });
    }
  },
};
