import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';
import { FOLLOW_UP_OUTCOMES, FollowUpOutcome } from '../employment-record.entity';

export class ReasonView {
  @ApiProperty({ example: '企业实践考核未达标' }) zh: string;
  @ApiProperty({ example: 'The enterprise-practice assessment is not met' }) en: string;
}

export class GraduationCheckView {
  @ApiProperty({ format: 'uuid' }) studentId: string;
  @ApiProperty({ example: '李明' }) name: string;
  @ApiProperty({ example: 'enrolled', description: '记录状态：admitted / enrolled / graduated / streamed-out / withdrawn' }) status: string;
  @ApiProperty({ example: false, description: '所有课程考核通过且企业实践考核达标（R-EVA-3）' }) eligible: boolean;
  @ApiProperty({ type: [ReasonView], description: '尚缺条件（文字说明）' }) missing: ReasonView[];
  @ApiProperty({ example: 6 }) courseItems: number;
  @ApiProperty({ example: 5 }) courseItemsPassed: number;
  @ApiProperty({ example: true }) practiceMet: boolean;
  @ApiPropertyOptional({ example: '2026-07-01', nullable: true, type: String }) graduatedOn: string | null;
}

export class GraduateDto {
  @ApiPropertyOptional({ example: '2026-07-01', description: '毕业日期（默认今天，中国时间）' })
  @IsOptional()
  @IsDateOnly()
  graduatedOn?: string;
}

export class CohortGraduationView {
  @ApiProperty({ format: 'uuid' }) cohortId: string;
  @ApiProperty({ example: '2025级数控加工技师班' }) name: string;
  @ApiProperty({ example: 'started' }) status: string;
  @ApiPropertyOptional({ example: null, nullable: true, type: String }) completedOn: string | null;
  @ApiProperty({ example: 0, description: '尚未毕业、离校或分流的学生人数；为 0 时可结业' }) unfinished: number;
  @ApiProperty({ example: true }) canComplete: boolean;
  @ApiProperty({ type: [GraduationCheckView] }) students: GraduationCheckView[];
}

export class CompleteCohortView {
  @ApiProperty({ format: 'uuid' }) cohortId: string;
  @ApiProperty({ example: 'completed' }) status: string;
  @ApiProperty({ example: '2026-07-15' }) completedOn: string;
}

export class RoutesView {
  @ApiProperty({ description: '① 技师（二级）职业技能证书（已核验）' }) nationalCertificate: boolean;
  @ApiProperty({ description: '② 行业/企业认可的技师级证书（已核验）' }) industryCertificate: boolean;
  @ApiProperty({ description: '③ 合作企业终结性考评评定为技师水平' }) terminalJudgement: boolean;
  @ApiProperty({ description: '③′ 被聘用到相当于技师等级的岗位且薪酬匹配（来自就业跟踪）' }) hiredAsTechnician: boolean;
}

export class EmploymentRecordDto {
  @ApiPropertyOptional({ format: 'uuid', description: '用人单位：企业名录中的企业（与 employerName 二选一）；企业用户只能填本企业或不填（填其他企业返回 422）' })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;

  @ApiPropertyOptional({ example: '佛山市顺德区精工机械有限公司', description: '不在名录中的用人单位名称' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  employerName?: string;

  @ApiPropertyOptional({ example: '91440606MA4UJ5XQ3B', description: '统一社会信用代码（可选，按 GB 32100-2015 校验）' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(30)
  employerUscc?: string;

  @ApiProperty({ example: '数控车床技师' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  post: string;

  @ApiProperty({ example: '佛山市' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  city: string;

  @ApiProperty({ example: '2026-07-10' })
  @IsDateOnly()
  startedOn: string;

  @ApiPropertyOptional({ example: null, nullable: true })
  @IsOptional()
  @IsDateOnly()
  endedOn?: string;

  @ApiProperty({ example: 7800, description: '月薪（元，整数）' })
  @IsInt()
  @Min(0)
  @Max(1000000)
  monthlyPay: number;

  @ApiProperty({ example: true, description: '岗位相当于技师等级' })
  @IsBoolean()
  technicianEquivalent: boolean;

  @ApiPropertyOptional({ example: true, description: '与专业对口；不填时按专业的职业（工种）默认判定' })
  @IsOptional()
  @IsBoolean()
  matched?: boolean;

  @ApiPropertyOptional({ example: '岗位为车工（6-18-01-01），与专业职业一致' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  matchReason?: string;
}

export class EndEmploymentDto {
  @ApiProperty({ type: String, format: 'date', example: '2027-03-31', nullable: true, description: '离职日期；null 表示仍在职' })
  @IsOptional()
  @IsDateOnly()
  endedOn: string | null;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version: number;
}

export class EmploymentRecordView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) studentId: string;
  @ApiProperty({ example: '李明' }) studentName: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) enterpriseId: string | null;
  @ApiProperty({ example: '佛山市顺德区精工机械有限公司' }) employerName: string;
  @ApiPropertyOptional({ example: '91440606MA4UJ5XQ3B', nullable: true, type: String }) employerUscc: string | null;
  @ApiProperty({ example: '数控车床技师' }) post: string;
  @ApiProperty({ example: '佛山市' }) city: string;
  @ApiProperty({ example: '2026-07-10' }) startedOn: string;
  @ApiPropertyOptional({ example: null, nullable: true, type: String }) endedOn: string | null;
  @ApiProperty({ example: 7800 }) monthlyPay: number;
  @ApiProperty({ example: true }) technicianEquivalent: boolean;
  @ApiProperty({ example: true }) matched: boolean;
  @ApiProperty({ example: '岗位为车工（6-18-01-01），与专业职业一致' }) matchReason: string;
  @ApiProperty({ example: 'college', enum: ['college', 'enterprise'], enumName: 'Side', description: '登记方：院校或用人企业' }) source: string;
  @ApiPropertyOptional({ example: 7000, nullable: true, type: Number, description: '入职日所在城市生效的技师岗位薪酬基准（元/月）' }) benchmark: number | null;
  @ApiPropertyOptional({ example: true, nullable: true, type: Boolean, description: '月薪高于基准（无基准时为 null）' }) aboveBenchmark: boolean | null;
  @ApiProperty({ example: 1 }) version: number;
  @ApiProperty({ example: '2026-07-12T02:00:00.000Z' }) createdAt: string;
}

export class EmploymentPage {
  @ApiProperty({ type: [EmploymentRecordView] }) items: EmploymentRecordView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

export class EmploymentListQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  cohortId?: string;
}

export class FollowUpDto {
  @ApiProperty({ example: 6, description: '跟踪节点：毕业后月数（设置 followUpMonths，默认 0、6、12）' })
  @IsInt()
  @Min(0)
  @Max(120)
  checkpointMonths: number;

  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES, enumName: 'FollowUpOutcome', example: 'employed-same', description: '就业（原单位/新单位）、未就业、升学、参军、无法联系' })
  @IsIn(FOLLOW_UP_OUTCOMES)
  outcome: FollowUpOutcome;

  @ApiProperty({ example: '2027-01-05' })
  @IsDateOnly()
  followedUpOn: string;

  @ApiPropertyOptional({ format: 'uuid', description: '就业时：对应的就业记录' })
  @IsOptional()
  @IsUUID()
  employmentRecordId?: string;

  @ApiPropertyOptional({ example: '电话回访，仍在原岗位' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class FollowUpView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 6 }) checkpointMonths: number;
  @ApiProperty({ example: 'employed-same' }) outcome: string;
  @ApiProperty({ example: '就业（原单位）' }) outcomeName: string;
  @ApiProperty({ example: '2027-01-05' }) followedUpOn: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) employmentRecordId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '电话回访，仍在原岗位' }) note: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '王老师' }) recordedBy: string | null;
}

export class DueFollowUpView {
  @ApiProperty({ example: 12 }) checkpointMonths: number;
  @ApiProperty({ example: '2027-07-01' }) dueOn: string;
  @ApiProperty({ example: false }) done: boolean;
}

export class GraduateView {
  @ApiProperty({ format: 'uuid' }) studentId: string;
  @ApiProperty({ example: '李明' }) name: string;
  @ApiProperty({ example: 'graduated' }) status: string;
  @ApiPropertyOptional({ example: '2026-07-01', nullable: true, type: String }) graduatedOn: string | null;
  @ApiProperty({ example: true, description: '达到技师水平（R-EVA-3，任一途径成立即计一次）' }) technicianLevel: boolean;
  @ApiProperty({ type: RoutesView }) routes: RoutesView;
  @ApiProperty({ example: true, description: '当前就业（R-EVA-4 口径）' }) employed: boolean;
  @ApiProperty({ type: [EmploymentRecordView] }) employment: EmploymentRecordView[];
  @ApiProperty({ type: [FollowUpView] }) followUps: FollowUpView[];
  @ApiProperty({ type: [DueFollowUpView], description: '按设置应做的跟踪节点' }) schedule: DueFollowUpView[];
}

export class BenchmarkDto {
  @ApiProperty({ example: '广州市' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  city: string;

  @ApiProperty({ example: 2026 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  @ApiProperty({ example: 7000, description: '技师岗位月薪基准（元）' })
  @IsInt()
  @Min(1)
  @Max(1000000)
  monthlyPay: number;

  @ApiProperty({ example: '2026-01-01' })
  @IsDateOnly()
  effectiveFrom: string;

  @ApiPropertyOptional({ example: '2026-12-31' })
  @IsOptional()
  @IsDateOnly()
  effectiveTo?: string;

  @ApiPropertyOptional({ example: '据广州市人力资源市场工资价位（技师）' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class BenchmarkView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '广州市' }) city: string;
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ example: 7000 }) monthlyPay: number;
  @ApiProperty({ example: '2026-01-01' }) effectiveFrom: string;
  @ApiPropertyOptional({ example: null, nullable: true, type: String }) effectiveTo: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '据广州市人力资源市场工资价位（技师）' }) note: string | null;
}

export class BenchmarkPage {
  @ApiProperty({ type: [BenchmarkView] }) items: BenchmarkView[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor: string | null;
}

export class BenchmarkQuery extends PageQuery {
  @ApiPropertyOptional({ example: '广州市' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(32)
  city?: string;

  @ApiPropertyOptional({ example: '2026-07-01', description: '只列该日生效的基准' })
  @IsOptional()
  @IsDateOnly()
  on?: string;
}
