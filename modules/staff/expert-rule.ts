import { Injectable } from '@nestjs/common';
import { ReferenceDataService } from '../reference-data';
import { ExpertVerdict, judgeExpert } from './domain/expert';

/**
 * R-EVA-2 against the province's reference data: the title band and the skill level are
 * looked up (an unknown code is refused by the reference data with 422).
 */
@Injectable()
export class ExpertRule {
  constructor(private readonly referenceData: ReferenceDataService) {}

  async evaluate(titleLevelCode: string | null, skillLevelCode: string | null): Promise<ExpertVerdict> {
    return judgeExpert({
      titleIsSenior: titleLevelCode ? await this.referenceData.titleIsSenior(titleLevelCode) : false,
      skillLevelIsTechnicianOrAbove: skillLevelCode ? await this.referenceData.skillLevelIsTechnicianOrAbove(skillLevelCode) : false,
    });
  }
}
