import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';

const BIGINT_ID = /^[1-9]\d{0,18}$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class CosmeticsIdParam {
  @ApiProperty({ example: '3' })
  @Matches(BIGINT_ID)
  id: string;
}

export class CosmeticsListingParams {
  @ApiProperty({ example: '1' })
  @Matches(BIGINT_ID)
  classId: string;

  @ApiProperty({ example: '2' })
  @Matches(BIGINT_ID)
  brandId: string;
}

export class CosmeticsClassListQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'List retired classes too' })
  @IsOptional()
  @IsIn(['true', 'false'])
  includeRetired?: 'true' | 'false';
}

export class CosmeticsBrandListQuery extends CosmeticsClassListQuery {
  @ApiPropertyOptional({ description: 'Only the brands this class lists', example: '1' })
  @IsOptional()
  @Matches(BIGINT_ID)
  classId?: string;
}

export class CosmeticsClassNameDto {
  @ApiProperty({
    example: '粉底液',
    minLength: 1,
    maxLength: 64,
    description: 'Trimmed; unique among live classes, ignoring case',
  })
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  name: string;
}

export class AddCosmeticsBrandDto {
  @ApiProperty({
    example: 'Dior迪奥',
    minLength: 1,
    maxLength: 64,
    description: 'Trimmed; unique among live brands, ignoring case',
  })
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  name: string;

  @ApiProperty({
    example: '法国',
    minLength: 1,
    maxLength: 32,
    description: 'As the app groups brands: 法国, 英国, 美国…',
  })
  @Transform(trim)
  @IsString()
  @Length(1, 32)
  country: string;

  @ApiPropertyOptional({ type: [String], example: ['1', '2'], description: 'Classes that list the brand' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(BIGINT_ID, { each: true })
  classIds?: string[];
}

export class UpdateCosmeticsBrandDto {
  @ApiPropertyOptional({ example: 'Dior迪奥', minLength: 1, maxLength: 64 })
  @ValidateIf((dto: UpdateCosmeticsBrandDto) => dto.name !== undefined || dto.country === undefined)
  @Transform(trim)
  @IsString()
  @Length(1, 64)
  name?: string;

  @ApiPropertyOptional({ example: '法国', minLength: 1, maxLength: 32 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 32)
  country?: string;
}

export class CosmeticsClassDto {
  @ApiProperty({ example: '1' }) id: string;
  @ApiProperty({ example: '粉底液' }) name: string;
  @ApiProperty({ description: 'Order in the app’s list' }) position: number;
  @ApiProperty() retired: boolean;
  @ApiProperty({ description: 'Live brands the class lists' }) brandCount: number;
}

export class CosmeticsClassList {
  @ApiProperty({ type: CosmeticsClassDto, isArray: true }) items: CosmeticsClassDto[];
}

export class CosmeticsBrandDto {
  @ApiProperty({ example: '1' }) id: string;
  @ApiProperty({ example: 'Dior迪奥' }) name: string;
  @ApiProperty({ example: '法国' }) country: string;
  @ApiProperty() retired: boolean;
  @ApiProperty({ type: [String], description: 'Classes that list the brand' }) classIds: string[];
}

export class CosmeticsBrandList {
  @ApiProperty({ type: CosmeticsBrandDto, isArray: true }) items: CosmeticsBrandDto[];
}
