import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IndustryCluster } from './industry-cluster.entity';
import { ProfessionalTitleLevel } from './professional-title-level.entity';
import { ReferenceDataController } from './reference-data.controller';
import { ReferenceDataRepository } from './reference-data.repository';
import { ReferenceDataService } from './reference-data.service';
import { RolloutRuleRow } from './rollout-rule.entity';
import { SchoolingTrack } from './schooling-track.entity';
import { SkillLevel } from './skill-level.entity';

/** Province-owned reference data and the statutory working calendar (R-APP-5, R-COL-2, R-EVA-2, R-TRK-1). */
@Module({
  imports: [TypeOrmModule.forFeature([IndustryCluster, SkillLevel, ProfessionalTitleLevel, SchoolingTrack, RolloutRuleRow])],
  controllers: [ReferenceDataController],
  providers: [ReferenceDataRepository, ReferenceDataService],
  exports: [ReferenceDataService],
})
export class ReferenceDataModule {}
