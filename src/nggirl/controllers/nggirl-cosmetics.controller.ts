import { Controller } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, getSchemaPath } from '@nestjs/swagger';
import type { Principal } from '#src/auth/principal.js';
import { CurrentSession } from '#src/auth/principal.js';
import { Authenticated } from '#src/auth/session-auth.guard.js';
import { ApiParams } from '#src/common/dialect/api-params.decorator.js';
import { Dialect } from '#src/common/dialect/dialect.decorator.js';
import { GetOrPost } from '#src/common/dialect/get-or-post.decorator.js';
import { Reply } from '#src/common/dialect/reply.decorator.js';
import { Params } from '#src/common/http/params.decorator.js';
import { parseCosmeticsInfo, type CosmeticsSelection } from '#src/cosmetics/cosmetics-info.js';
import { CosmeticsService, type BrandsOfCountry } from '#src/cosmetics/cosmetics.service.js';
import { nggirl } from '#src/dialects/nggirl.dialect.js';
import {
  NggirlBrandsOfCountryDto,
  NggirlCosmeticsBrandDto,
  NggirlCosmeticsSelectionDto,
  NggirlSetCosmeticsInfoDto,
} from '#src/nggirl/dto/nggirl-cosmetics.dto.js';
import { NggirlTokenDto } from '#src/nggirl/dto/nggirl-signed.dto.js';

/** The cosmetics catalogue as the artists' app reads it, and the artist's own kit. */
@Dialect('nggirl')
@ApiExtraModels(NggirlBrandsOfCountryDto, NggirlCosmeticsSelectionDto)
@Controller('nggirl/app/bus/phoneUser')
export class NggirlCosmeticsController {
  constructor(private readonly cosmetics: CosmeticsService) {}

  @GetOrPost('listCosmeticsClass')
  @ApiOperation({ summary: '获取化妆品品类列表 — live classes in catalogue order' })
  @ApiParams(NggirlTokenDto)
  @Authenticated()
  @Reply(nggirl, {
    data: {
      type: 'object',
      required: ['cosmeticsClass'],
      properties: {
        cosmeticsClass: { type: 'array', items: { type: 'string' }, example: ['粉底液', '粉饼'] },
      },
    },
    errors: ['UNAUTHENTICATED'],
  })
  async listCosmeticsClass(): Promise<{ cosmeticsClass: string[] }> {
    return { cosmeticsClass: await this.cosmetics.listClassNames() };
  }

  @GetOrPost('listCosmeticsBrand')
  @ApiOperation({
    summary: '获取化妆品品牌列表 — the brands of one class, grouped by country; code 2 for an unknown class',
  })
  @ApiParams(NggirlCosmeticsBrandDto)
  @Authenticated()
  @Reply(nggirl, {
    data: { type: 'array', items: { $ref: getSchemaPath(NggirlBrandsOfCountryDto) } },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS'],
  })
  listCosmeticsBrand(@Params() params: NggirlCosmeticsBrandDto): Promise<BrandsOfCountry[]> {
    return this.cosmetics.brandsOfClass(params.cosmeticsClass);
  }

  @GetOrPost('setCosmeticsInfo')
  @ApiOperation({
    summary:
      '设置化妆品信息 — replaces the kit; every class and brand must be in the catalogue; answers the saved set',
  })
  @ApiParams(NggirlSetCosmeticsInfoDto)
  @Authenticated()
  @Reply(nggirl, {
    data: { type: 'array', items: { $ref: getSchemaPath(NggirlCosmeticsSelectionDto) } },
    errors: ['UNAUTHENTICATED', 'INVALID_PARAMS'],
  })
  setCosmeticsInfo(
    @Params() params: NggirlSetCosmeticsInfoDto,
    @CurrentSession() session: Principal,
  ): Promise<CosmeticsSelection[]> {
    return this.cosmetics.setArtistCosmetics(session.userId, parseCosmeticsInfo(params.cosmeticsInfo));
  }
}
