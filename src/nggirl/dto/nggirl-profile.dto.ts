import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import type { NggirlSex } from '#src/nggirl/artist-profiles.service.js';
import { emptyAsAbsent, NggirlTokenDto, numberAsText } from '#src/nggirl/dto/nggirl-signed.dto.js';

export class NggirlUploadUserInfoDto extends NggirlTokenDto {
  @ApiProperty({ description: '化妆师昵称 (1–30 characters)', example: '小美' })
  @IsString()
  @MaxLength(64)
  nickName: string;

  @ApiProperty({ description: '化妆师真实姓名', example: '张美丽' })
  @IsString()
  @MaxLength(64)
  realName: string;

  @ApiProperty({ description: '性别 (0-男; 1-女)', enum: [0, 1], type: 'integer' })
  @Transform(({ value }: { value: unknown }) =>
    value === '0' || value === 0 ? 0 : value === '1' || value === 1 ? 1 : value,
  )
  @IsIn([0, 1])
  sex: NggirlSex;

  @ApiProperty({
    description: '城市id: GB/T 2260 6 位代码 (城市 CCCC00; 直辖市 110000 或 110100)',
    example: '110100',
  })
  @numberAsText()
  @IsString()
  @MaxLength(12)
  cityId: string;

  @ApiProperty({ description: '区县id: GB/T 2260 6 位代码, 属于 cityId', example: '110105' })
  @numberAsText()
  @IsString()
  @MaxLength(12)
  areaId: string;

  @ApiProperty({ description: '手机号 (must be the number of this account)', example: '13581878073' })
  @numberAsText()
  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  phoneNum: string;

  @ApiPropertyOptional({ description: '头像文件路径 (an address answered by uploadImage)' })
  @emptyAsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(512)
  profile?: string;

  @ApiPropertyOptional({ description: '身份证号 (18 位, GB 11643)', example: '11010519491231002X' })
  @emptyAsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  identificationCard?: string;

  @ApiPropertyOptional({ description: '身份证照片（正面）, 为上传图片后返回的路径 (leaves public view)' })
  @emptyAsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(512)
  identificationUpside?: string;

  @ApiPropertyOptional({ description: '身份证照片（反面）, 为上传图片后返回的路径 (leaves public view)' })
  @emptyAsAbsent()
  @IsOptional()
  @IsString()
  @MaxLength(512)
  identificationDownside?: string;
}

export class NggirlIdentificationImageDto extends NggirlTokenDto {
  @ApiProperty({
    description: '身份证照片: upside 正面, downside 反面 (of the latest submitted ID card)',
    enum: ['upside', 'downside'],
  })
  @IsIn(['upside', 'downside'])
  side: 'upside' | 'downside';
}
