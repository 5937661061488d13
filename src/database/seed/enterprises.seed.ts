import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EntityManager } from 'typeorm';
import { DEMO_COLLEGES, DEMO_ENTERPRISES } from './demo-data';
import { SeedStep } from './seed-context';

/**
 * Enterprises seed (R-ENT-0…4, R-TRN-1, R-PRG-3): full profiles of the two demo
 * enterprises, cooperation history within the last three years, offerings in each partner
 * college, and partnerships with signed agreements in force for demo programmes.
 * Runs after the programmes step; a programme not seeded (yet) is skipped with a log line.
 * Idempotent: profiles are filled only while empty, everything else is keyed on natural keys.
 */

interface DemoProfile {
  industry: string;
  clusterCodes: string[];
  headcount: number;
  revenueBand: string;
  standing: string;
  address: string;
  contactName: string;
  contactPhone: string;
  valuesSkillsTrainingNote: string;
  canPlaceGraduatesNote: string;
  cooperations: { kind: string; partnerCollege: string; title: string; startedOn: string; endedOn: string | null; evidence: string }[];
  /** college code → offerings */
  offerings: Record<string, { kind: 'post' | 'project'; title: string; description: string; skillItems: string[]; capacity: number; programmeCode?: string }[]>;
  /** college code → programme codes it partners on */
  partnerships: Record<string, string[]>;
}

const PROFILES: DemoProfile[] = [
  {
    industry: '通用设备制造业（数控机床及功能部件）',
    clusterCodes: ['E02', 'P04'],
    headcount: 1260,
    revenueBand: '400m-2b',
    standing: '国家级专精特新“小巨人”企业，广东省数控机床工程技术研究中心依托单位，华南地区五轴数控机床主要供应商之一',
    address: '广州市黄埔区科学城开源大道 11 号（演示）',
    contactName: '谭伟明',
    contactPhone: '13800138020',
    valuesSkillsTrainingNote: '设有企业技能人才自主评价机构，每年开展车工、加工中心操作工职业技能等级认定，技师及以上技能人才 86 人',
    canPlaceGraduatesNote: '每年提供技师岗位不少于 30 个，并可推荐至上下游 6 家配套企业（刀具、夹具、主轴部件）',
    cooperations: [
      { kind: 'order-class', partnerCollege: '广州市工贸技师学院', title: '“精工班”数控加工订单班', startedOn: '2023-09-01', endedOn: '2026-07-10', evidence: '校企订单培养协议（2023）第 08 号，在读学生 42 人' },
      { kind: 'new-apprenticeship', partnerCollege: '河源市技师学院', title: '数控车工企业新型学徒制培训', startedOn: '2024-03-01', endedOn: null, evidence: '河源市人社局企业新型学徒制备案（2024）第 15 号，学徒 30 人' },
    ],
    offerings: {
      gzgm: [
        { kind: 'post', title: '五轴加工中心操作岗', description: '在企业导师指导下完成航空结构件五轴加工，参与工艺优化与首件检验', skillItems: ['多轴数控编程', '复杂零件工艺设计', '精密测量与质量分析'], capacity: 8, programmeCode: 'SKJG-01' },
        { kind: 'project', title: '数控车床主轴热变形补偿技术攻关', description: '采集主轴温升数据，建立补偿模型并在产线验证，形成技术总结报告', skillItems: ['数控系统参数调整', '技术改进与创新', '技术总结与培训指导'], capacity: 4, programmeCode: 'SKJG-01' },
      ],
      hyjs: [
        { kind: 'post', title: '数控车床装调岗', description: '参与数控车床整机装配、精度检测与调试', skillItems: ['机床精度检测', '电气系统调试'], capacity: 6, programmeCode: 'DQZDH-01' },
      ],
    },
    partnerships: { gzgm: ['SKJG-01', 'GYJQR-02'], hyjs: ['DQZDH-01'] },
  },
  {
    industry: '电气机械和器材制造业（家用电器）',
    clusterCodes: ['P03', 'E05'],
    headcount: 8600,
    revenueBand: 'over-10b',
    standing: '中国轻工业百强企业，国家级企业技术中心、国家级智能制造示范工厂，空调与厨电产品出口全国前列',
    address: '佛山市顺德区北滘镇美智大道 6 号（演示）',
    contactName: '麦慧珊',
    contactPhone: '13800138030',
    valuesSkillsTrainingNote: '集团技能学院年培训一线员工 1.2 万人次，设首席技师工作室 5 个',
    canPlaceGraduatesNote: '顺德、广州两大基地每年可安置技师层级毕业生 60 人，并向 20 余家核心供应商推荐',
    cooperations: [
      { kind: 'industry-college', partnerCollege: '佛山市技师学院', title: '智能家电产业学院', startedOn: '2022-09-01', endedOn: null, evidence: '佛山市技师学院与企业共建产业学院协议（2022），共建实训基地 1 个' },
      { kind: 'order-class', partnerCollege: '广州市工贸技师学院', title: '工业机器人运维订单班', startedOn: '2024-09-01', endedOn: '2027-07-10', evidence: '订单班协议（2024）第 21 号，在读学生 36 人' },
    ],
    offerings: {
      fsjs: [
        { kind: 'post', title: '空调总装线自动化设备运维岗', description: '负责总装线 PLC、伺服与视觉检测设备的点检、故障诊断与维修', skillItems: ['PLC 程序调试', '伺服系统故障诊断', '设备预防性维护'], capacity: 10, programmeCode: 'DQZDH-02' },
      ],
      gzgm: [
        { kind: 'project', title: '焊接机器人工作站节拍优化', description: '分析焊接工作站节拍瓶颈，优化机器人轨迹与工装，目标提升节拍 8%', skillItems: ['工业机器人编程', '工作站集成调试', '生产效率分析'], capacity: 5, programmeCode: 'GYJQR-02' },
      ],
    },
    partnerships: { fsjs: ['DQZDH-02'], gzgm: ['GYJQR-02'] },
  },
];

const RIGHTS_AND_DUTIES = [
  '一、学院负责：牵头制定技师层级工学一体化人才培养方案，组织课程教学与校内学习型工厂实训，选派院校导师，负责学籍管理与过程性考评组织。',
  '二、企业负责：提供与培养目标相匹配的实践岗位和技术项目，选派高级技师、工程师担任企业导师，实行“1+1”双导师制；保存任务工单、过程记录与成果验收档案；参与过程性和终结性考评。',
  '三、共同事项：双方共同组建教学和考评团队，企业导师占比不低于 30%；按学期召开校企会商会议；企业优先录用考核合格的毕业生，或推荐至上下游产业链企业就业。',
  '四、协议期限内任何一方不得无故单方面终止合作；确需调整的，应提前三个月书面通知对方并报学院专业建设指导委员会。',
].join('\n');

/** A tiny but real PDF standing in for the stamped agreement scan. */
function agreementPdf(title: string): Buffer {
  const text = `%PDF-1.4\n% ${title} (demo)\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(text, 'utf8');
}

async function one(m: EntityManager, sql: string, params: unknown[]): Promise<any | undefined> {
  return (await m.query(sql, params))[0];
}

export const enterprisesSeed: SeedStep = {
  name: 'enterprises',
  async run(ctx) {
    const storageDir = resolve(process.env.STORAGE_DIR ?? '.data/files');
    for (const [i, e] of DEMO_ENTERPRISES.entries()) {
      const profile = PROFILES[i];
      const enterpriseId = ctx.ids.enterprises.get(e.uscc);
      if (!enterpriseId || !profile) continue;

      // Registry profile and cooperation history: control plane.
      await ctx.tx(null, async (m) => {
        const updated = await m.query(
          `UPDATE enterprises SET industry = $2, cluster_codes = $3, headcount = $4, revenue_band = $5, standing = $6, address = $7,
                  contact_name = $8, contact_phone = $9, values_skills_training = true, values_skills_training_note = $10,
                  takes_part_in_assessment = true, can_place_graduates = true, can_place_graduates_note = $11, updated_at = now()
           WHERE id = $1 AND industry IS NULL RETURNING id`,
          [enterpriseId, profile.industry, profile.clusterCodes, profile.headcount, profile.revenueBand, profile.standing, profile.address,
            profile.contactName, profile.contactPhone, profile.valuesSkillsTrainingNote, profile.canPlaceGraduatesNote],
        );
        ctx.count('enterprises (profiles)', updated[1] ?? updated.length ?? 0);
        for (const c of profile.cooperations) {
          const rows = await m.query(
            `INSERT INTO enterprise_cooperations (enterprise_id, kind, partner_college, title, started_on, ended_on, evidence)
             SELECT $1::uuid, $2::varchar, $3::varchar, $4::varchar, $5::date, $6::date, $7::text
             WHERE NOT EXISTS (SELECT 1 FROM enterprise_cooperations WHERE enterprise_id = $1::uuid AND title = $4::varchar) RETURNING id`,
            [enterpriseId, c.kind, c.partnerCollege, c.title, c.startedOn, c.endedOn, c.evidence],
          );
          ctx.count('enterprise_cooperations', rows.length);
        }
      });

      // Per partner college: link, offerings, partnerships and signed agreements (tenant tables).
      for (const collegeCode of e.partners) {
        const tenantId = ctx.ids.tenants.get(collegeCode);
        const college = DEMO_COLLEGES.find((c) => c.code === collegeCode);
        if (!tenantId || !college) continue;
        await ctx.tx({ tenantId }, async (m) => {
          const programmeId = async (code: string): Promise<string | undefined> =>
            (await one(m, 'SELECT id FROM programmes WHERE tenant_id = $1 AND lower(code) = lower($2)', [tenantId, code]))?.id;
          const linked = await m.query(
            'INSERT INTO college_enterprises (tenant_id, enterprise_id) VALUES ($1, $2) ON CONFLICT (tenant_id, enterprise_id) DO NOTHING RETURNING id',
            [tenantId, enterpriseId],
          );
          ctx.count('college_enterprises', linked.length);

          for (const o of profile.offerings[collegeCode] ?? []) {
            const pid = o.programmeCode ? ((await programmeId(o.programmeCode)) ?? null) : null;
            const rows = await m.query(
              `INSERT INTO enterprise_offerings (tenant_id, enterprise_id, kind, title, description, skill_items, capacity, programme_id)
               SELECT $1::uuid, $2::uuid, $3::varchar, $4::varchar, $5::text, $6::text[], $7::int, $8::uuid
               WHERE NOT EXISTS (SELECT 1 FROM enterprise_offerings WHERE tenant_id = $1::uuid AND enterprise_id = $2::uuid AND title = $4::varchar) RETURNING id`,
              [tenantId, enterpriseId, o.kind, o.title, o.description, o.skillItems, o.capacity, pid],
            );
            ctx.count('enterprise_offerings', rows.length);
          }

          for (const code of profile.partnerships[collegeCode] ?? []) {
            const pid = await programmeId(code);
            if (!pid) {
              ctx.log(`seed enterprises: programme ${code} not found in ${collegeCode}; partnership with ${e.shortName} skipped`);
              continue;
            }
            const created = await m.query(
              `INSERT INTO partnerships (tenant_id, programme_id, enterprise_id, status, started_on) VALUES ($1, $2, $3, 'active', DATE '2025-09-01')
               ON CONFLICT (tenant_id, programme_id, enterprise_id) DO NOTHING RETURNING id`,
              [tenantId, pid, enterpriseId],
            );
            ctx.count('partnerships', created.length);
            const partnershipId: string = created[0]?.id ?? (await one(m, 'SELECT id FROM partnerships WHERE tenant_id = $1 AND programme_id = $2 AND enterprise_id = $3', [tenantId, pid, enterpriseId])).id;
            if (await one(m, 'SELECT 1 FROM agreements WHERE tenant_id = $1 AND partnership_id = $2', [tenantId, partnershipId])) continue;

            // The stamped agreement scan: bytes on the local disk storage, metadata in attachments.
            const filename = `校企共培学制技师合作协议（${college.shortName}—${e.shortName}—${code}）.pdf`;
            const bytes = agreementPdf(`${college.code}-${code}`);
            const key = `seed/${collegeCode}/${partnershipId}`;
            const path = join(storageDir, ...key.split('/'));
            await mkdir(dirname(path), { recursive: true });
            await writeFile(path, bytes);
            const uploader = ctx.ids.users.get(college.staff.email ?? college.staff.phone ?? '') ?? null;
            const attachment = await one(
              m,
              `INSERT INTO attachments (tenant_id, owner_entity, owner_id, enterprise_id, filename, content_type, size_bytes, sha256, storage_key, uploaded_by)
               VALUES ($1, NULL, NULL, $2, $3, 'application/pdf', $4, $5, $6, COALESCE($7::uuid, (SELECT id FROM users ORDER BY created_at LIMIT 1)))
               ON CONFLICT (tenant_id, storage_key) DO UPDATE SET storage_key = EXCLUDED.storage_key RETURNING id`,
              [tenantId, enterpriseId, filename, bytes.length, createHash('sha256').update(bytes).digest('hex'), key, uploader],
            );
            const agreement = await one(
              m,
              `INSERT INTO agreements (tenant_id, partnership_id, college_party_name, enterprise_party_name, signed_on, term_start, term_end,
                                       rights_and_duties, signed_file_attachment_id, status)
               VALUES ($1, $2, $3, $4, DATE '2025-08-20', DATE '2025-09-01', DATE '2030-08-31', $5, $6, 'signed') RETURNING id`,
              [tenantId, partnershipId, college.name, e.name, RIGHTS_AND_DUTIES, attachment.id],
            );
            await m.query(`UPDATE attachments SET owner_entity = 'agreement', owner_id = $2 WHERE id = $1`, [attachment.id, agreement.id]);
            ctx.count('agreements', 1);
            ctx.count('attachments', 1);
          }
        });
      }
    }
  },
};
