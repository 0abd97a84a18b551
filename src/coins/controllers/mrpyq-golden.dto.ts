import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** JSON clients may send numbers where the document has strings. */
const asText = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value));

export class MrpyqGoldenTokenDto {
  @ApiProperty({ description: '用户标示: the token /log answered' })
  @IsString()
  token: string;
}

export class MrpyqSendGiftDto extends MrpyqGoldenTokenDto {
  @ApiProperty({ description: '礼物价值: whole coins, at least 1', example: '10' })
  @asText()
  @IsString()
  @Matches(/^\s*\d{1,12}\s*$/)
  value: string;

  @ApiProperty({ description: '主播id: the anchor’s phone (mrpyq’s user id)', example: '13800138000' })
  @IsString()
  @MaxLength(32)
  object: string;

  @ApiPropertyOptional({ description: '礼物描述 (kept up to 200 characters)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;
}

export class MrpyqRefillDto extends MrpyqGoldenTokenDto {
  @ApiProperty({
    description: '充值金额 in yuan: one of the packages (10, 50, 100 by default)',
    example: '10',
  })
  @asText()
  @IsString()
  @MaxLength(16)
  money: string;
}
