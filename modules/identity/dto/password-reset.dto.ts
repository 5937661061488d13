import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { Trim } from '../../../src/http/transforms';

export class PasswordResetRequestDto {
  @ApiProperty({ example: 'lihua@gzgm.demo', description: '登录用的邮箱或手机号。邮箱收到一次性链接，手机号收到短信验证码' })
  @Trim()
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  identifier: string;
}

export class PasswordResetAcceptedView {
  @ApiProperty({ example: '如果该账号存在，重置链接或验证码已发出，30 分钟内有效', maxLength: 200 }) message: string;
}

export class PasswordResetConfirmDto {
  @ApiProperty({ description: '邮件链接中的一次性令牌，或短信验证码（6 位数字，此时须同时填 identifier）', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  token: string;

  @ApiPropertyOptional({ example: '13800138000', description: '用短信验证码重置时：接收验证码的手机号' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(254)
  identifier?: string;

  @ApiProperty({ example: 'Gd-Jishi-2027', description: '新密码：至少 10 位，须同时包含字母和数字，且不能包含登录名' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  newPassword: string;
}
