import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * nuzzle's common parameters. The document marks `tz` required, but nothing in Concord depends on it, so its
 * absence is tolerated rather than breaking a client (docs/dialects/nuzzle.md).
 */
export class NuzzleCommonParams {
  @ApiPropertyOptional({ description: '用户所在时区 (IANA)', example: 'Asia/Shanghai' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tz?: string;

  @ApiPropertyOptional({ description: '客户端平台类型, ios 或 android', example: 'iOS' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  pf?: string;

  @ApiPropertyOptional({ description: '客户端语言', example: 'zh_CN' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  locale?: string;
}
