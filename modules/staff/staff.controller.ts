import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../../src/auth/decorators';
import { AppException } from '../../src/errors/app.exception';
import {
  CreateStaffDto,
  LeaveResultView,
  LeaveStaffDto,
  RejectStaffDto,
  StaffListQuery,
  StaffPage,
  StaffView,
  UpdateStaffDto,
} from './dto/staff.dto';
import { StaffErrors } from './staff.errors';
import { StaffService } from './staff.service';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new AppException(StaffErrors.NOT_FOUND) });

@ApiTags('师资与导师 staff')
@Controller('staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Post()
  @RequirePermission('staff.manage')
  @ApiOperation({
    summary: '新增院校教师或企业导师',
    description:
      '企业导师须属于本校合作企业（有生效的校企合作关系）。院校添加的企业导师为“待确认”，由该企业管理员确认；企业管理员添加本企业导师即为“已确认”。专家标记（R-EVA-2）按职称与技能等级自动判定，不可填写。',
  })
  @ApiCreatedResponse({ type: StaffView })
  create(@Body() dto: CreateStaffDto): Promise<StaffView> {
    return this.staff.create(dto);
  }

  @Get()
  @RequirePermission('staff.read')
  @ApiOperation({
    summary: '师资列表',
    description: '院校用户看本校；企业用户只看本企业导师；省级用户看全省（可按院校筛选）。按姓名排序，游标分页；可按一方、企业、状态、确认状态、是否专家筛选。',
  })
  @ApiOkResponse({ type: StaffPage })
  list(@Query() query: StaffListQuery) {
    return this.staff.list(query);
  }

  @Get(':id')
  @RequirePermission('staff.read')
  @ApiOperation({ summary: '人员详情（含专家判定及依据）' })
  @ApiOkResponse({ type: StaffView })
  get(@Param('id', uuid) id: string): Promise<StaffView> {
    return this.staff.get(id);
  }

  @Patch(':id')
  @RequirePermission('staff.manage')
  @ApiOperation({ summary: '修改人员信息（需携带版本号）', description: '企业管理员只能修改本企业导师。被退回的企业导师经院校修改后重新进入待确认。' })
  @ApiOkResponse({ type: StaffView })
  update(@Param('id', uuid) id: string, @Body() dto: UpdateStaffDto): Promise<StaffView> {
    return this.staff.update(id, dto);
  }

  @Post(':id/leave')
  @HttpCode(200)
  @RequirePermission('staff.manage')
  @ApiOperation({
    summary: '人员离任',
    description: '仍有未完成事项（在带学生等）时须指定接替人，未完成事项转给接替人，历史保留（R-TRN-3）。',
  })
  @ApiOkResponse({ type: LeaveResultView })
  leave(@Param('id', uuid) id: string, @Body() dto: LeaveStaffDto): Promise<LeaveResultView> {
    return this.staff.leave(id, dto);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @RequirePermission('staff.confirm')
  @ApiOperation({ summary: '企业确认院校添加的本企业导师' })
  @ApiOkResponse({ type: StaffView })
  confirm(@Param('id', uuid) id: string): Promise<StaffView> {
    return this.staff.confirm(id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequirePermission('staff.confirm')
  @ApiOperation({ summary: '企业退回院校添加的本企业导师（须说明原因）' })
  @ApiOkResponse({ type: StaffView })
  reject(@Param('id', uuid) id: string, @Body() dto: RejectStaffDto): Promise<StaffView> {
    return this.staff.reject(id, dto.reason);
  }
}
