import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import {
  AddMilestoneDto,
  ApproveTopicDto,
  CompleteMilestoneDto,
  CreateProjectDto,
  DefenceDto,
  MidCheckDto,
  ProjectListQuery,
  ProjectPage,
  ProjectView,
  UpdateTopicDto,
} from './dto/project.dto';
import { ProjectErrors } from './projects.errors';
import { ProjectsService } from './projects.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(ProjectErrors.NOT_FOUND) });
const milestoneUuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(ProjectErrors.MILESTONE_NOT_FOUND) });

@ApiTags('课题项目 projects')
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @RequirePermission('projects.manage')
  @ApiOperation({ summary: '课题选题（R-TRN-3）', description: '每名技师阶段学生一个课题项目；选题须经院校导师和企业导师双方审批。导师只能为自己的在带学生开题。' })
  @ApiCreatedResponse({ type: ProjectView })
  create(@Body() dto: CreateProjectDto): Promise<ProjectView> {
    return this.projects.create(dto);
  }

  @Get()
  @RequirePermission('projects.read')
  @ApiOperation({ summary: '课题项目列表', description: '按学生姓名排序，游标分页。导师只看自己在带学生的；企业管理员只看本企业实践或带教学生的；院校管理员和教务人员看全校。' })
  @ApiOkResponse({ type: ProjectPage })
  list(@Query() query: ProjectListQuery) {
    return this.projects.list(query);
  }

  @Get(':id')
  @RequirePermission('projects.read')
  @ApiOperation({ summary: '课题项目详情（选题审批、里程碑、中期检查、答辩评审）' })
  @ApiOkResponse({ type: ProjectView })
  get(@Param('id', uuid) id: string): Promise<ProjectView> {
    return this.projects.get(id);
  }

  @Patch(':id')
  @RequirePermission('projects.manage')
  @ApiOperation({ summary: '修改选题', description: '双方审批完成前可改；修改后已有的审批作废，须重新审批。' })
  @ApiOkResponse({ type: ProjectView })
  updateTopic(@Param('id', uuid) id: string, @Body() dto: UpdateTopicDto): Promise<ProjectView> {
    return this.projects.updateTopic(id, dto);
  }

  @Post(':id/approvals')
  @HttpCode(200)
  @RequirePermission('projects.manage')
  @ApiOperation({ summary: '选题审批（院校导师或企业导师一方）', description: '两位在任导师各审批一次后选题通过（R-TRN-3）。' })
  @ApiOkResponse({ type: ProjectView })
  approve(@Param('id', uuid) id: string, @Body() dto: ApproveTopicDto): Promise<ProjectView> {
    return this.projects.approve(id, dto);
  }

  @Post(':id/milestones')
  @RequirePermission('projects.manage')
  @ApiOperation({ summary: '添加项目研修里程碑', description: '选题双方审批通过后。' })
  @ApiCreatedResponse({ type: ProjectView })
  addMilestone(@Param('id', uuid) id: string, @Body() dto: AddMilestoneDto): Promise<ProjectView> {
    return this.projects.addMilestone(id, dto);
  }

  @Post(':id/milestones/:milestoneId/complete')
  @HttpCode(200)
  @RequirePermission('projects.manage')
  @ApiOperation({ summary: '里程碑完成' })
  @ApiOkResponse({ type: ProjectView })
  completeMilestone(@Param('id', uuid) id: string, @Param('milestoneId', milestoneUuid) milestoneId: string, @Body() dto: CompleteMilestoneDto): Promise<ProjectView> {
    return this.projects.completeMilestone(id, milestoneId, dto);
  }

  @Post(':id/mid-check')
  @HttpCode(200)
  @RequirePermission('projects.manage')
  @ApiOperation({ summary: '中期检查', description: '选题双方审批通过后；答辩前可重新记录。' })
  @ApiOkResponse({ type: ProjectView })
  midCheck(@Param('id', uuid) id: string, @Body() dto: MidCheckDto): Promise<ProjectView> {
    return this.projects.midCheck(id, dto);
  }

  @Post(':id/defence')
  @HttpCode(200)
  @RequirePermission('projects.manage')
  @ApiOperation({
    summary: '答辩评审（R-TRN-3）',
    description: '评审组须包括该生的在任院校导师、企业导师和至少一名其他专家（师资库 expert=true）；记录各成员评分、平均分和结果（通过/未通过）。须先完成中期检查。',
  })
  @ApiOkResponse({ type: ProjectView })
  defence(@Param('id', uuid) id: string, @Body() dto: DefenceDto): Promise<ProjectView> {
    return this.projects.defence(id, dto);
  }
}
