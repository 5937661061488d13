import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { AppException } from '../../src/errors/app.exception';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { EnterpriseCriteriaService } from '../enterprises';
import { PartnershipsService } from '../partnerships';
import { TrainingPlansService } from '../training-plans';
import { CriterionView, EligibilityView, PartnerCheckView, ReasonView } from './dto/eligibility.dto';
import { Programme } from './programme.entity';
import { ProgrammeErrors } from './programmes.errors';
import { ProgrammesRepository } from './programmes.repository';

/** R-PRG-3: a programme trains with one or two partner enterprises. */
export const MIN_PARTNERS = 1;
export const MAX_PARTNERS = 2;
const ENTERPRISE_RULES = ['R-ENT-1', 'R-ENT-2', 'R-ENT-3', 'R-ENT-4'];

const reason = (zh: string, en: string): ReasonView => ({ zh, en });

const CONCLUSION_ZH: Record<string, string> = { passed: '通过', revise: '修改后再审', failed: '不通过' };

/**
 * The eligibility checklist (R-PRG-1…4) and R-PRG-5: an application needs every mandatory
 * criterion met. Each criterion says why it is met or not, in Chinese and English. The
 * application module (a later issue) calls `check` with the application date.
 */
@Injectable()
export class ProgrammeEligibilityService {
  constructor(
    private readonly programmes: ProgrammesRepository,
    private readonly plans: TrainingPlansService,
    private readonly partnerships: PartnershipsService,
    private readonly enterpriseCriteria: EnterpriseCriteriaService,
    private readonly context: TenantContext,
  ) {}

  /** The checklist of a programme the caller may see, as of `referenceDate` (YYYY-MM-DD, China). */
  @Transactional()
  async check(programmeId: string, referenceDate: string): Promise<EligibilityView> {
    const programme = await this.programmes.findVisible(programmeId);
    if (!programme) throw new AppException(ProgrammeErrors.NOT_FOUND);
    // A province reader sees the checklist as the college does: partners, mentors and
    // offerings are counted within the programme's college. Still the same read-only
    // province transaction (the CLS context is inherited), so RLS allows reads only.
    if (this.context.scope === 'province') return this.context.runAsTenant(programme.tenantId, () => this.evaluate(programme, referenceDate));
    return this.evaluate(programme, referenceDate);
  }

  @Transactional()
  async evaluate(programme: Programme, referenceDate: string): Promise<EligibilityView> {
    const criteria = [
      this.clustersAndTalentGap(programme),
      await this.reviewedPlan(programme),
      await this.partners(programme, referenceDate),
      this.priority(programme),
    ];
    return {
      programmeId: programme.id,
      referenceDate,
      criteria,
      canApply: criteria.every((c) => !c.mandatory || c.met),
    };
  }

  /** R-PRG-1: at least one 双十 cluster and talent-gap evidence. */
  private clustersAndTalentGap(p: Programme): CriterionView {
    const reasons: ReasonView[] = [];
    const hasCluster = p.clusterCodes.length > 0;
    const hasEvidence = !!p.talentGapEvidence?.trim();
    if (hasCluster) {
      reasons.push(reason(`服务产业集群：${p.clusterCodes.join('、')}`, `Serves cluster(s) ${p.clusterCodes.join(', ')}`));
    } else {
      reasons.push(reason('尚未关联“双十”产业集群', 'No "double ten" industry cluster is linked'));
    }
    if (hasEvidence) {
      reasons.push(
        p.talentGapNumber !== null
          ? reason(`已记录技师层级人才缺口依据（缺口约 ${p.talentGapNumber} 人）`, `Talent-gap evidence recorded (a gap of about ${p.talentGapNumber})`)
          : reason('已记录技师层级人才缺口依据', 'Talent-gap evidence recorded'),
      );
    } else {
      reasons.push(reason('尚未填写技师层级人才缺口依据', 'No technician-level talent-gap evidence'));
    }
    return {
      rule: 'R-PRG-1',
      titleZh: '服务“双十”产业集群并有技师层级人才缺口',
      titleEn: 'Serves a "double ten" cluster with a technician-level talent gap',
      mandatory: true,
      met: hasCluster && hasEvidence,
      reasons,
    };
  }

  /** R-PRG-2: the CURRENT plan version's latest steering-committee review passed. */
  private async reviewedPlan(p: Programme): Promise<CriterionView> {
    const facts = await this.plans.currentPlanReview(p.id);
    const base = {
      rule: 'R-PRG-2' as const,
      titleZh: '有经专业建设指导委员会评审通过的一体化人才培养方案',
      titleEn: 'Has an integrated training plan passed by the steering committee',
      mandatory: true,
    };
    const older = facts.passedOtherVersions.length
      ? [
          reason(
            `第 ${facts.passedOtherVersions.join('、')} 版曾评审通过，但不是现行版本`,
            `Version(s) ${facts.passedOtherVersions.join(', ')} passed review but are not current`,
          ),
        ]
      : [];
    if (!facts.current) {
      return { ...base, met: false, reasons: [reason('尚无现行的人才培养方案', 'No training plan is in force'), ...older] };
    }
    const { versionNo, latestReview } = facts.current;
    if (!latestReview) {
      return {
        ...base,
        met: false,
        reasons: [reason(`现行方案（第 ${versionNo} 版）尚未经专业建设指导委员会评审`, `The current plan (version ${versionNo}) has not been reviewed`), ...older],
      };
    }
    if (latestReview.conclusion !== 'passed') {
      return {
        ...base,
        met: false,
        reasons: [
          reason(
            `现行方案（第 ${versionNo} 版）最近一次评审（${latestReview.reviewedOn}）结论为“${CONCLUSION_ZH[latestReview.conclusion] ?? latestReview.conclusion}”`,
            `The latest review of the current plan (version ${versionNo}, ${latestReview.reviewedOn}) concluded "${latestReview.conclusion}"`,
          ),
          ...older,
        ],
      };
    }
    return {
      ...base,
      met: true,
      reasons: [
        reason(
          `现行方案（第 ${versionNo} 版）已于 ${latestReview.reviewedOn} 经专业建设指导委员会评审通过`,
          `The current plan (version ${versionNo}) passed review on ${latestReview.reviewedOn}`,
        ),
      ],
    };
  }

  /** R-PRG-3: 1–2 active partners, each meeting R-ENT-1…4 with an agreement in force (R-TRN-1). */
  private async partners(p: Programme, referenceDate: string): Promise<CriterionView> {
    const active = await this.partnerships.activePartnersOf(p.id, referenceDate);
    const partners: PartnerCheckView[] = [];
    for (const a of active) {
      const criteria = await this.enterpriseCriteria.evaluate(a.enterpriseId, referenceDate);
      const missing: ReasonView[] = [];
      for (const rule of ENTERPRISE_RULES) {
        const result = criteria.find((c) => c.rule === rule);
        if (!result) missing.push(reason(`${rule}：未能评估`, `${rule}: not evaluated`));
        else if (!result.met) {
          missing.push(
            ...(result.reasons.length
              ? result.reasons.map((r) => reason(`${rule}：${r.zh}`, `${rule}: ${r.en}`))
              : [reason(`${rule}：不满足`, `${rule}: not met`)]),
          );
        }
      }
      if (!a.agreementInForce) {
        missing.push(
          reason(
            `R-TRN-1：截至 ${referenceDate} 没有已签署且在有效期内的联合培养协议`,
            `R-TRN-1: no signed joint-training agreement in force on ${referenceDate}`,
          ),
        );
      }
      partners.push({
        partnershipId: a.partnershipId,
        enterpriseId: a.enterpriseId,
        enterpriseName: a.enterpriseName,
        agreementInForce: a.agreementInForce,
        criteria,
        met: missing.length === 0,
        missing,
      });
    }
    const reasons: ReasonView[] = [];
    const n = partners.length;
    if (n < MIN_PARTNERS) reasons.push(reason('尚无合作中的企业（须 1–2 家）', 'No active partner enterprise (1 to 2 are needed)'));
    else if (n > MAX_PARTNERS) reasons.push(reason(`合作企业 ${n} 家，超过 2 家的上限`, `${n} partner enterprises: more than the maximum of 2`));
    for (const x of partners) {
      reasons.push(
        x.met
          ? reason(`${x.enterpriseName}：满足 R-ENT-1…4，联合培养协议有效`, `${x.enterpriseName}: meets R-ENT-1…4 with an agreement in force`)
          : reason(
              `${x.enterpriseName}：${x.missing.map((m) => m.zh).join('；')}`,
              `${x.enterpriseName}: ${x.missing.map((m) => m.en).join('; ')}`,
            ),
      );
    }
    return {
      rule: 'R-PRG-3',
      titleZh: '与 1–2 家符合条件的企业建立联合培养合作关系',
      titleEn: 'Joint training with 1 to 2 qualifying enterprises',
      mandatory: true,
      met: n >= MIN_PARTNERS && n <= MAX_PARTNERS && partners.every((x) => x.met),
      reasons,
      partners,
    };
  }

  /** R-PRG-4: priority, not mandatory — an experience entry with evidence. */
  private priority(p: Programme): CriterionView {
    const LABEL: Record<string, [string, string]> = {
      'technician-class': ['已开设学制技师班', 'ran school-system technician classes'],
      'preparatory-technician-class': ['已开设预备技师班', 'ran preparatory-technician classes'],
      'worldskills-conversion': ['世赛成果转化为教学', 'turned WorldSkills results into teaching'],
    };
    const withEvidence = p.priorityExperience.filter((e) => e.evidence?.trim());
    return {
      rule: 'R-PRG-4',
      titleZh: '优先条件：已开设学制技师班、预备技师班或世赛成果转化教学',
      titleEn: 'Priority: technician or preparatory-technician classes, or WorldSkills results in teaching',
      mandatory: false,
      met: withEvidence.length > 0,
      reasons: withEvidence.length
        ? withEvidence.map((e) => reason(`${LABEL[e.kind]?.[0] ?? e.kind}：${e.description}`, `${LABEL[e.kind]?.[1] ?? e.kind}: ${e.description}`))
        : [reason('无优先条件（不影响申报）', 'No priority experience (not required to apply)')],
    };
  }
}
