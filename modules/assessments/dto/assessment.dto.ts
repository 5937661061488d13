import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { Trim } from '../../../src/http/transforms';
import { IsDateOnly } from '../../reference-data';
import { ASSESSMENT_KINDS, SCORINGS, Scoring, SheetKind } from '../domain/items';
import { NestedObjects } from '../../../src/http/nested';

export class SheetListQuery {
  @ApiProperty({ format: 'uuid', description: '班级' }) @IsUUID() cohortId: string;
}

export class OpenSheetsDto {
  @ApiProperty({ format: 'uuid', description: '班级' }) @IsUUID() cohortId: string;
  @ApiPropertyOptional({ example: 'terminal:1', description: '考核项（见 GET /assessment-sheets?cohortId=）；不填则为该班级培养方案的全部考核项建表' })
  @IsOptional()
  @IsString()
  @Matches(/^(course:\d+:\d+|practice:\d+|terminal:\d+|mid-term|defence)$/)
  itemKey?: string;
}

export class ResultRowDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() studentId: string;
  @ApiPropertyOptional({ example: 86.5, description: '成绩 0–100，最小单位 0.5（按分数评定的考核项）' }) @IsOptional() @IsNumber() score?: number;
  @ApiPropertyOptional({ example: true, description: '是否合格（按合格/不合格评定的考核项，如企业实践阶段）' }) @IsOptional() @IsBoolean() passed?: boolean;
  @ApiPropertyOptional({ example: true, description: '终结性考评：是否评定达到技师水平（R-EVA-3 ③）' }) @IsOptional() @IsBoolean() judgedTechnician?: boolean;
  @ApiProperty({ example: '2026-11-20', description: '考核日期（北京时间），不能是未来日期' }) @IsDateOnly() assessedOn: string;
  @ApiProperty({ example: '王建国（企业导师）' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(64) assessor: string;
  @ApiPropertyOptional({ example: '独立完成复杂轴类零件加工，尺寸全部合格' }) @IsOptional() @Trim() @IsString() @MaxLength(500) remarks?: string;
  @ApiPropertyOptional({ example: '原成绩录入时小数点错位（85 误录为 58）', description: '更正已提交成绩时必填：生成新版本，原版本保留在历史中' })
  @IsOptional()
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  correctionReason?: string;
}

export class WriteSheetDto {
  @ApiProperty({ type: [ResultRowDto], description: '整张表一次提交；任何一行有误则全部不写入，并列出每一行的错误' })
  @IsArray()
  @ArrayMaxSize(500)
  @NestedObjects(() => ResultRowDto)
  rows: ResultRowDto[];
  @ApiPropertyOptional({ example: false, description: 'true：写入后提交您负责的全部草稿成绩（提交后锁定，只能以新版本更正）' }) @IsOptional() @IsBoolean() submit?: boolean;
}

export class ReopenSheetDto {
  @ApiProperty({ example: '两名学生转入本班，需补录成绩' }) @Trim() @IsString() @IsNotEmpty() @MaxLength(500) reason: string;
}

export class HistoryQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() studentId?: string;
}

export class SheetImportQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], enumName: 'BooleanFlag', description: 'true：只校验不写入' }) @IsOptional() @IsIn(['true', 'false']) dryRun?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], enumName: 'BooleanFlag', description: 'true：写入后提交您负责的全部草稿' }) @IsOptional() @IsIn(['true', 'false']) submit?: string;
}

export class PersonRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '王建国' }) name: string;
}

export class StudentRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '李明轩' }) name: string;
  @ApiProperty({ example: 'enrolled', description: '记录状态：admitted / enrolled / graduated / streamed-out / withdrawn' }) status: string;
}

export class ResultView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 1, description: '版本号；每次更正 +1' }) versionNo: number;
  @ApiProperty({ example: true }) isCurrent: boolean;
  @ApiProperty({ enum: ['draft', 'submitted'], enumName: 'AssessmentEntryStatus' }) status: 'draft' | 'submitted';
  @ApiProperty({ example: 86.5, nullable: true, type: Number }) score: number | null;
  @ApiProperty({ example: true }) passed: boolean;
  @ApiProperty({ example: true, nullable: true, type: Boolean, description: '仅终结性考评' }) judgedTechnician: boolean | null;
  @ApiProperty({ example: '2026-11-20' }) assessedOn: string;
  @ApiProperty({ example: '王建国（企业导师）' }) assessor: string;
  @ApiProperty({ example: '独立完成复杂轴类零件加工', nullable: true, type: String }) remarks: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) correctionReason: string | null;
  @ApiProperty({ type: PersonRef, nullable: true, description: '录入人（登录账号）' }) enteredBy: PersonRef | null;
  @ApiProperty({ enum: ['college', 'enterprise'], enumName: 'Side' }) enteredSide: 'college' | 'enterprise';
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) submittedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
}

export class HistoryEntryView extends ResultView {
  @ApiProperty({ type: StudentRef }) student: StudentRef;
}

export class HistoryView {
  @ApiProperty({ type: [HistoryEntryView], description: '每个学生的全部版本，旧版本在前' }) items: HistoryEntryView[];
}

export class SheetRowView {
  @ApiProperty({ type: StudentRef }) student: StudentRef;
  @ApiProperty({ type: ResultView, nullable: true, description: '现行成绩（未录入为 null）' }) result: ResultView | null;
}

export class SheetCounts {
  @ApiProperty({ example: 28, description: '您可见的学生数' }) students: number;
  @ApiProperty({ example: 26 }) entered: number;
  @ApiProperty({ example: 20 }) submitted: number;
}

export class CohortRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2025级数控技师1班' }) name: string;
}

export class SheetView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: CohortRef }) cohort: CohortRef;
  @ApiProperty({ example: 'terminal:1' }) itemKey: string;
  @ApiProperty({ enum: ASSESSMENT_KINDS, enumName: 'AssessmentKind' }) kind: SheetKind;
  @ApiProperty({ example: '技师阶段终结性考评（企业参与）' }) name: string;
  @ApiProperty({ enum: SCORINGS, enumName: 'Scoring' }) scoring: Scoring;
  @ApiProperty({ example: 70, nullable: true, type: Number }) passMark: number | null;
  @ApiProperty({ example: null, nullable: true, type: Number, description: '企业实践阶段序号（从 0 开始）' }) stageIndex: number | null;
  @ApiProperty({ enum: ['college', 'enterprise'], enumName: 'Side', description: '由哪一方录入（R-EVA-3）' }) side: 'college' | 'enterprise';
  @ApiProperty({ enum: ['draft', 'submitted'], enumName: 'AssessmentEntryStatus', description: '全部在籍学生的成绩都已提交时为 submitted' }) status: 'draft' | 'submitted';
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) submittedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) reopenedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reopenReason: string | null;
  @ApiProperty({ type: SheetCounts }) counts: SheetCounts;
  @ApiProperty({ type: [SheetRowView], description: '您可见的学生（企业方只见本企业学生，导师只见在带学生），按姓名排序' }) rows: SheetRowView[];
}

export class AssessmentItemView {
  @ApiProperty({ example: 'course:0:1' }) itemKey: string;
  @ApiProperty({ enum: ASSESSMENT_KINDS, enumName: 'AssessmentKind' }) kind: SheetKind;
  @ApiProperty({ example: '数控车床编程与加工' }) name: string;
  @ApiProperty({ enum: SCORINGS, enumName: 'Scoring' }) scoring: Scoring;
  @ApiProperty({ example: 60, nullable: true, type: Number }) passMark: number | null;
  @ApiProperty({ enum: ['college', 'enterprise'], enumName: 'Side' }) side: 'college' | 'enterprise';
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: '成绩表（未建表为 null）' }) sheetId: string | null;
  @ApiProperty({ enum: ['draft', 'submitted'], enumName: 'AssessmentEntryStatus', nullable: true }) status: 'draft' | 'submitted' | null;
  @ApiProperty({ type: SheetCounts, nullable: true }) counts: SheetCounts | null;
}

export class AssessmentItemList {
  @ApiProperty({ type: CohortRef }) cohort: CohortRef;
  @ApiProperty({ type: [AssessmentItemView] }) items: AssessmentItemView[];
}

export class ImportRowError {
  @ApiProperty({ example: 3 }) row: number;
  @ApiProperty({ example: '成绩' }) column: string;
  @ApiProperty({ example: '成绩须在 0–100 之间，最小单位 0.5 分' }) message: string;
}

export class SheetImportView {
  @ApiProperty({ example: true }) dryRun: boolean;
  @ApiProperty({ example: 28 }) totalRows: number;
  @ApiProperty({ example: 28, description: '将写入（dryRun）或已写入的行数' }) written: number;
  @ApiProperty({ type: [ImportRowError] }) errors: ImportRowError[];
}
