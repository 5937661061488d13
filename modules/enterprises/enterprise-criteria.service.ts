import { Injectable } from '@nestjs/common';
import { AppException } from '../../src/errors/app.exception';
import { TenantContext } from '../../src/tenancy/tenant-context';
import { COOPERATION_WINDOW_YEARS, countsWithinWindow, windowStart } from './cooperation-window';
import { EnterpriseErrors } from './enterprises.errors';
import { EnterprisesRepository } from './enterprises.repository';
import { parseDateOnly } from '../reference-data';

/** One rule's verdict, with what is missing when unmet (Chinese and English). */
export interface CriterionResult {
  rule: string;
  met: boolean;
  reasons: { zh: string; en: string }[];
}

const reason = (zh: string, en: string) => ({ zh, en });

/**
 * R-ENT-1…R-ENT-4 for one enterprise, as seen from the current college (R-ENT-2 and
 * R-ENT-3 are about what it provides this college). Runs inside the caller's
 * @Transactional() context (the programmes eligibility checklist, R-PRG-3).
 */
@Injectable()
export class EnterpriseCriteriaService {
  constructor(
    private readonly repository: EnterprisesRepository,
    private readonly tenant: TenantContext,
  ) {}

  async evaluate(enterpriseId: string, referenceDate: string): Promise<CriterionResult[]> {
    if (parseDateOnly(referenceDate) === undefined) throw new AppException(EnterpriseErrors.BAD_REFERENCE_DATE);
    const e = await this.repository.findById(enterpriseId);
    if (!e) throw new AppException(EnterpriseErrors.NOT_FOUND);
    const inCollege = Boolean(this.tenant.tenantId);

    // R-ENT-1: scale and influence, values skills training, a dated cooperation project in the last 3 years.
    const ent1: CriterionResult['reasons'] = [];
    if (e.headcount === null) ent1.push(reason('未填写职工人数', 'Headcount is not recorded'));
    if (e.revenueBand === null) ent1.push(reason('未填写营业收入区间', 'Revenue band is not recorded'));
    if (!e.standing) ent1.push(reason('未填写行业地位', 'Industry standing is not recorded'));
    if (!e.valuesSkillsTraining) ent1.push(reason('未确认企业重视技能人才培养', 'Valuing skills training is not confirmed'));
    const cooperations = await this.repository.listCooperations(enterpriseId);
    if (!cooperations.some((c) => countsWithinWindow(c, referenceDate))) {
      ent1.push(
        reason(
          `近三年内（${windowStart(referenceDate)} 至 ${referenceDate}）没有产业学院、订单班或企业新型学徒制合作记录`,
          `No industry-college, order-class or new-apprenticeship project in the last ${COOPERATION_WINDOW_YEARS} years (${windowStart(referenceDate)} to ${referenceDate})`,
        ),
      );
    }

    // R-ENT-2: mentors named for this college: confirmed, active enterprise-side staff records.
    const ent2: CriterionResult['reasons'] = [];
    if (!inCollege) ent2.push(reason('企业导师需在合作院校范围内核查', 'Mentors are checked within a partner college'));
    else if ((await this.repository.countActiveMentors(enterpriseId)) === 0) {
      ent2.push(reason('企业尚未在本校指定企业导师（高级技师、工程师等）', 'The enterprise has named no mentor for this college'));
    }

    // R-ENT-3: practice posts or technical projects offered to this college.
    const ent3: CriterionResult['reasons'] = [];
    if (!inCollege) ent3.push(reason('实践岗位和技术项目需在合作院校范围内核查', 'Posts and projects are checked within a partner college'));
    else {
      const n = await this.repository.countOfferings(enterpriseId);
      if (n.posts + n.projects === 0) ent3.push(reason('企业尚未向本校提供实践岗位或技术项目', 'The enterprise offers this college no practice post or project'));
    }

    // R-ENT-4: process and terminal assessment, placing graduates.
    const ent4: CriterionResult['reasons'] = [];
    if (!e.takesPartInAssessment) ent4.push(reason('企业未承诺参与过程性和终结性考评', 'The enterprise does not take part in process and terminal assessment'));
    if (!e.canPlaceGraduates) ent4.push(reason('企业未承诺在本企业或上下游产业链安置毕业生', 'The enterprise cannot place graduates in the firm or its chain'));

    return [
      { rule: 'R-ENT-1', met: ent1.length === 0, reasons: ent1 },
      { rule: 'R-ENT-2', met: ent2.length === 0, reasons: ent2 },
      { rule: 'R-ENT-3', met: ent3.length === 0, reasons: ent3 },
      { rule: 'R-ENT-4', met: ent4.length === 0, reasons: ent4 },
    ];
  }
}
