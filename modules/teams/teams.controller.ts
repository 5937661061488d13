import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import { AddTeamMemberDto, ComplianceQuery, CreateTeamDto, ProgrammeComplianceView, TeamListQuery, TeamPage, TeamView } from './dto/team.dto';
import { TeamErrors } from './teams.errors';
import { TeamComplianceService, TeamsService } from './teams.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(TeamErrors.NOT_FOUND) });
const memberUuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(TeamErrors.MEMBER_NOT_FOUND) });

const COMPLIANCE = '每次读取实时计算（R-EVA-2）：企业导师占比 ≥ 30%、专家 ≥ 5 名（副高级及以上职称或技师及以上技能等级），返回人数、阈值及尚缺内容。只统计在职且已确认的成员。';

@ApiTags('教学和考评团队 teams')
@Controller('teams')
export class TeamsController {
  constructor(
    private readonly teams: TeamsService,
    private readonly compliance: TeamComplianceService,
  ) {}

  @Post()
  @RequirePermission('teams.manage')
  @ApiOperation({ summary: '组建教学和考评团队', description: '每个专业一个团队，也可为某一班级单独组建。' })
  @ApiCreatedResponse({ type: TeamView })
  create(@Body() dto: CreateTeamDto): Promise<TeamView> {
    return this.teams.create(dto);
  }

  @Get()
  @RequirePermission('teams.read')
  @ApiOperation({ summary: '团队列表（含实时合规判定）', description: COMPLIANCE })
  @ApiOkResponse({ type: TeamPage })
  list(@Query() query: TeamListQuery) {
    return this.teams.list(query);
  }

  @Get('compliance')
  @RequirePermission('teams.read')
  @ApiOperation({ summary: '专业（或班级）团队合规判定', description: `${COMPLIANCE} 无团队时不合规，占比为 null（无数据）。` })
  @ApiOkResponse({ type: ProgrammeComplianceView })
  check(@Query() query: ComplianceQuery): Promise<ProgrammeComplianceView> {
    return this.compliance.report(query.programmeId, query.cohortId);
  }

  @Get(':id')
  @RequirePermission('teams.read')
  @ApiOperation({ summary: '团队详情（成员及实时合规判定）', description: COMPLIANCE })
  @ApiOkResponse({ type: TeamView })
  get(@Param('id', uuid) id: string): Promise<TeamView> {
    return this.teams.get(id);
  }

  @Post(':id/members')
  @RequirePermission('teams.manage')
  @ApiOperation({ summary: '添加团队成员', description: '院校教师或本校合作企业的导师；已离任或被企业退回的人员不能加入。' })
  @ApiCreatedResponse({ type: TeamView })
  addMember(@Param('id', uuid) id: string, @Body() dto: AddTeamMemberDto): Promise<TeamView> {
    return this.teams.addMember(id, dto);
  }

  @Delete(':id/members/:memberId')
  @RequirePermission('teams.manage')
  @ApiOperation({ summary: '移除团队成员' })
  @ApiOkResponse({ type: TeamView })
  removeMember(@Param('id', uuid) id: string, @Param('memberId', memberUuid) memberId: string): Promise<TeamView> {
    return this.teams.removeMember(id, memberId);
  }
}
