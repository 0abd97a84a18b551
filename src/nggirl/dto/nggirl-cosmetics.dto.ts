import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength } from 'class-validator';
import { NggirlTokenDto } from '#src/nggirl/dto/nggirl-signed.dto.js';

export class NggirlCosmeticsBrandDto extends NggirlTokenDto {
  @ApiProperty({ description: '化妆品品类名', example: '粉底液' })
  @IsString()
  @MaxLength(64)
  cosmeticsClass: string;
}

export class NggirlSetCosmeticsInfoDto extends NggirlTokenDto {
  @ApiProperty({
    description:
      'JSON 数组 [{cosmeticsClass, cosmeticsBrand[]}], as JSON text (query string, form field) or a JSON value in a JSON body; at most 50 classes of 100 brands',
    example: '[{"cosmeticsClass":"粉底液","cosmeticsBrand":["Dior迪奥","香奈儿chanel"]}]',
  })
  @IsDefined()
  cosmeticsInfo: unknown;
}

export class NggirlCosmeticsSelectionDto {
  @ApiProperty({ example: '粉底液' }) cosmeticsClass: string;
  @ApiProperty({ type: [String], example: ['Dior迪奥', '香奈儿chanel'] }) cosmeticsBrand: string[];
}

export class NggirlBrandsOfCountryDto {
  @ApiProperty({ example: '法国' }) country: string;
  @ApiProperty({ type: [String], example: ['Dior迪奥', '香奈儿chanel'] }) brand: string[];
}
