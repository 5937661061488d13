import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ROLES, Role } from '../../../src/auth/roles';
import { PageQuery } from '../../../src/http/pagination';
import { Trim } from '../../../src/http/transforms';

export class CreateInvitationDto {
  @ApiPropertyOptional({ example: 'lihua@gzgm.demo', description: '邮箱与手机号至少填一项' })
  @IsOptional()
  @Trim()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '13800138000', description: '11 位中国大陆手机号' })
  @IsOptional()
  @Trim()
  @Matches(/^1[3-9]\d{9}$/, { context: { constraint: 'isPhone' } })
  phone?: string;

  @ApiProperty({ example: '李华', description: '姓名' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  displayName: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'college-staff' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ format: 'uuid', description: '省级管理员邀请院校或企业角色时指定院校；院校与企业用户固定为本校' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '邀请企业角色时指定企业；企业管理员只能填本企业或不填（填其他企业返回 422）。院校管理员只能邀请本校合作中企业的企业导师；企业管理员由省级管理员或本企业管理员邀请（ADR 0008）' })
  @IsOptional()
  @IsUUID()
  enterpriseId?: string;
}

export class AcceptInvitationDto {
  @ApiProperty({ description: '邀请链接中的一次性令牌' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token: string;

  @ApiProperty({ example: 'Gd-Jishi-2027', description: '新账号设置的密码；已有账号时填写现有密码以确认本人' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;
}

export class InvitationCreatedView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'college-staff' }) role: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({
    enum: ['email', 'sms'], enumName: 'InvitationChannel',
    description: '邀请的送达方式：有邮箱发邮件（含一次性链接），只有手机号发短信（含邀请码）。一次性令牌不再返回给邀请人（issue 13）',
  })
  deliveredBy: 'email' | 'sms';
  @ApiProperty({ maxLength: 254, example: 'l***@gzgm.demo', description: '送达地址（脱敏）' }) sentTo: string;
}

export class MemberListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES, enumName: 'Role' })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: ['active', 'revoked'], enumName: 'MembershipStatus' })
  @IsOptional()
  @IsIn(['active', 'revoked'])
  status?: 'active' | 'revoked';

  @ApiPropertyOptional({ format: 'uuid', description: '省级管理员按院校查看' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;
}

export class MemberView {
  @ApiProperty({ format: 'uuid' }) membershipId: string;
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: '李华' }) displayName: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'l***@gzgm.demo' }) email: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '138****8000' }) phone: string | null;
  @ApiProperty({ example: 'college-staff' }) role: string;
  @ApiProperty({ enum: ['active', 'revoked'], enumName: 'MembershipStatus' }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) tenantId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) enterpriseId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) enterpriseName: string | null;
  @ApiProperty() createdAt: string;
}

export class MemberPage {
  @ApiProperty({ type: [MemberView] }) items: MemberView[];
  @ApiProperty({ type: String, nullable: true, maxLength: 500 }) nextCursor: string | null;
}
