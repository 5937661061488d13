import { Injectable } from '@nestjs/common';
import { Transactional } from '@nestjs-cls/transactional';
import { CohortsRepository } from './cohorts.repository';

/**
 * Cohort figures the KPIs (DOMAIN §4) are built from. R-EVA-1: students streamed out at the
 * checkpoint (senior-worker route or leave) and those who withdrew leave the technician
 * KPIs' denominators; computed in SQL on every call, never stored.
 */
@Injectable()
export class CohortKpiService {
  constructor(private readonly cohorts: CohortsRepository) {}

  @Transactional()
  async technicianDenominator(cohortId: string): Promise<number> {
    return this.cohorts.technicianDenominator(cohortId);
  }
}
