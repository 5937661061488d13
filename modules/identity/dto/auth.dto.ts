import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Trim } from '../../../src/http/transforms';

export class LoginDto {
  @ApiProperty({ example: 'admin@province.demo', description: '电子邮箱或 11 位手机号' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  identifier: string;

  @ApiProperty({ example: 'Jishi2026demo' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({ description: '有多个身份时指定登录哪一个；不填则使用第一个可用身份' })
  @IsOptional()
  @IsUUID()
  membershipId?: string;
}

export class RefreshDto {
  @ApiProperty({ description: '登录或上次刷新时返回的 refreshToken（只能使用一次）' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: '要注销的刷新令牌；不填则注销当前身份的全部会话' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  refreshToken?: string;
}

export class SwitchMembershipDto {
  @ApiProperty({ format: 'uuid', description: '要切换到的身份 ID（见 GET /auth/memberships）' })
  @IsUUID()
  membershipId: string;
}

export class ChangePasswordDto {
  @ApiProperty({ example: 'Jishi2026demo' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  currentPassword: string;

  @ApiProperty({ example: 'Gd-Jishi-2027', description: '至少 10 位，须同时包含字母和数字，且不能包含登录名' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  newPassword: string;
}

export class MembershipView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['province', 'college', 'enterprise'], enumName: 'MembershipScope' }) scope: string;
  @ApiProperty({ example: 'college-admin' }) role: string;
  @ApiProperty({ enum: ['active', 'revoked'], enumName: 'MembershipStatus' }) status: string;
  @ApiPropertyOptional({ nullable: true, type: String }) tenantId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '广州市工贸技师学院' }) tenantName: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) enterpriseId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) enterpriseName: string | null;
  @ApiProperty({ description: '该身份当前能否使用（身份与院校均未停用）' }) usable: boolean;
}

export class SessionView {
  @ApiProperty() accessToken: string;
  @ApiProperty() refreshToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 900, description: '访问令牌有效秒数' }) expiresIn: number;
  @ApiProperty({ type: MembershipView }) membership: MembershipView;
  @ApiProperty({ type: [MembershipView] }) memberships: MembershipView[];
}

export class MeView {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ example: '陈志远' }) displayName: string;
  @ApiProperty({ format: 'uuid' }) membershipId: string;
  @ApiProperty({ example: 'college-admin' }) role: string;
  @ApiProperty({ enum: ['province', 'college', 'enterprise'], enumName: 'MembershipScope' }) scope: string;
  @ApiPropertyOptional({ nullable: true, type: String }) tenantId: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) enterpriseId: string | null;
  @ApiProperty({ type: [String], description: '当前身份拥有的权限' }) permissions: string[];
}
