import { ApiProperty } from '@nestjs/swagger';
import { COLLEGE_TIERS, CollegeTier } from '../domain/rollout';

export class IndustryClusterView {
  @ApiProperty({ example: 'E03', description: '集群代码（P = 战略性支柱产业集群，E = 战略性新兴产业集群）' })
  code: string;

  @ApiProperty({ enum: ['pillar', 'emerging'], enumName: 'IndustryCategory', example: 'emerging', description: '类别：pillar 支柱 / emerging 新兴' })
  kind: 'pillar' | 'emerging';

  @ApiProperty({ example: '智能机器人', description: '中文名称' })
  nameZh: string;

  @ApiProperty({ example: 'Intelligent robots', description: '英文名称' })
  nameEn: string;

  @ApiProperty({ type: String, nullable: true, example: null, description: '生效日期（YYYY-MM-DD，空表示一直有效）' })
  validFrom: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: '失效日期（YYYY-MM-DD，空表示仍有效）' })
  validTo: string | null;
}

export class SkillLevelView {
  @ApiProperty({ example: 'level-2', description: '等级代码' })
  code: string;

  @ApiProperty({ example: 4, description: '从低到高的序号（学徒工 = 0）' })
  rank: number;

  @ApiProperty({ type: Number, nullable: true, example: 2, description: '国家职业技能等级（五级 = 5 … 一级 = 1），其他为空' })
  nationalLevel: number | null;

  @ApiProperty({ example: '二级/技师', description: '中文名称' })
  nameZh: string;

  @ApiProperty({ example: true, description: '是否达到技师（二级）及以上（R-EVA-2 专家、R-EVA-3 技师水平）' })
  technicianOrAbove: boolean;
}

export class ProfessionalTitleView {
  @ApiProperty({ example: 'deputy-senior', description: '职称级别代码' })
  code: string;

  @ApiProperty({ example: 4, description: '从低到高的序号' })
  rank: number;

  @ApiProperty({ example: '副高级', description: '中文名称' })
  nameZh: string;

  @ApiProperty({ example: '高级', description: '层级：初级 / 中级 / 高级' })
  bandZh: string;

  @ApiProperty({ example: true, description: '是否高级职称（副高级、正高级，R-EVA-2）' })
  senior: boolean;

  @ApiProperty({ type: String, nullable: true, example: '高级讲师', description: '技工院校理论课教师对应职称' })
  collegeTheoryTitle: string | null;

  @ApiProperty({ type: String, nullable: true, example: '高级实习指导教师', description: '技工院校实习指导教师对应职称' })
  collegePracticeTitle: string | null;
}

export class SchoolingTrackView {
  @ApiProperty({ example: 'senior-high', description: '学制代码（R-TRK-1）' })
  code: string;

  @ApiProperty({ example: '高中毕业生', description: '招生起点' })
  entryLevelZh: string;

  @ApiProperty({ example: 'Senior-high graduate', description: '招生起点（英文）' })
  entryLevelEn: string;

  @ApiProperty({ type: Number, nullable: true, example: 4, description: '学制年限；弹性学制为空（由班级自定）' })
  years: number | null;

  @ApiProperty({ type: Number, nullable: true, example: 2, description: '高级工阶段年数（前 N 年；0 表示无）；弹性学制为空' })
  seniorWorkerStageYears: number | null;

  @ApiProperty({ example: false, description: '是否弹性学制（R-TRK-2，须书面说明理由）' })
  flexible: boolean;
}

export class RolloutRuleView {
  @ApiProperty({ example: 2026, description: '自该年起适用，直到下一条规则' })
  fromYear: number;

  @ApiProperty({ enum: COLLEGE_TIERS, enumName: 'CollegeTier', isArray: true, example: ['batch1', 'batch2', 'batch2-building', 'batch2-cultivating'], description: '可作为候选的院校层级（R-COL-2）' })
  tiers: CollegeTier[];

  @ApiProperty({ type: String, nullable: true, example: '2026 年：扩大到第二批高水平技师学院（含创建、培育单位）', description: '说明' })
  noteZh: string | null;
}

export class EligibleTiersView {
  @ApiProperty({ example: 2026, description: '年份' })
  year: number;

  @ApiProperty({ enum: COLLEGE_TIERS, enumName: 'CollegeTier', isArray: true, example: ['batch1', 'batch2', 'batch2-building', 'batch2-cultivating'], description: '该年可作为候选的院校层级；2025 年以前为空' })
  tiers: CollegeTier[];
}

/** Reference lists are short and fixed, so they come whole; the envelope matches every other list. */
abstract class WholeList {
  @ApiProperty({ type: String, nullable: true, example: null, description: '基础数据不分页，恒为 null' })
  nextCursor: null;
}

export class IndustryClusterList extends WholeList {
  @ApiProperty({ type: [IndustryClusterView] })
  items: IndustryClusterView[];
}

export class SkillLevelList extends WholeList {
  @ApiProperty({ type: [SkillLevelView] })
  items: SkillLevelView[];
}

export class ProfessionalTitleList extends WholeList {
  @ApiProperty({ type: [ProfessionalTitleView] })
  items: ProfessionalTitleView[];
}

export class SchoolingTrackList extends WholeList {
  @ApiProperty({ type: [SchoolingTrackView] })
  items: SchoolingTrackView[];
}

export class RolloutRuleList extends WholeList {
  @ApiProperty({ type: [RolloutRuleView] })
  items: RolloutRuleView[];
}
