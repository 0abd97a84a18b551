import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { NuzzleCommonParams } from '#src/common/dialect/nuzzle-common.dto.js';

const MD5_HINT = '客户端将密码进行md5加密后传输 (32 hex digits; other strings are kept as sent)';

export class NuzzleEmailLoginDto extends NuzzleCommonParams {
  @ApiProperty({ description: '用户的邮箱', example: 'jimmy.zhang@holaverse.com' })
  @IsString()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ description: `用户密码，${MD5_HINT}`, example: 'e10adc3949ba59abbe56e057f20f883e' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({ description: '用户的推送token' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  pushToken?: string;
}

export class NuzzleEmailRegisterDto extends NuzzleEmailLoginDto {
  @ApiProperty({ description: '用户昵称 (1–30 characters)', example: '张三' })
  @IsString()
  @MaxLength(200)
  nickname: string;
}

export class NuzzleForgotPasswordDto extends NuzzleCommonParams {
  @ApiProperty({ description: '用户的邮箱', example: 'jimmy.zhang@holaverse.com' })
  @IsString()
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class NuzzleModifyPasswordDto extends NuzzleCommonParams {
  @ApiProperty({ description: '老密码，md5后的值' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  oldPasswd: string;

  @ApiProperty({ description: '新密码，md5后的值' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  newPasswd: string;
}
