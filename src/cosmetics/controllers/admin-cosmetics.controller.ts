import { Body, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
} from '@nestjs/swagger';
import { AdminController } from '#src/admin/admin-session.guard.js';
import { PlainError } from '#src/admin/dto/admin.dto.js';
import { CurrentSession, type Principal } from '#src/auth/principal.js';
import { Client, type ClientInfo } from '#src/common/http/params.decorator.js';
import { CosmeticsCatalogueService } from '#src/cosmetics/cosmetics-catalogue.service.js';
import {
  AddCosmeticsBrandDto,
  CosmeticsBrandDto,
  CosmeticsBrandList,
  CosmeticsBrandListQuery,
  CosmeticsClassDto,
  CosmeticsClassList,
  CosmeticsClassListQuery,
  CosmeticsClassNameDto,
  CosmeticsIdParam,
  CosmeticsListingParams,
  UpdateCosmeticsBrandDto,
} from '#src/cosmetics/dto/admin-cosmetics.dto.js';

/** The cosmetics catalogue that nggirl's artists pick from; every change is audited. */
@AdminController('admin/cosmetics')
export class AdminCosmeticsController {
  constructor(private readonly catalogue: CosmeticsCatalogueService) {}

  @Get('classes')
  @ApiOperation({ summary: 'Cosmetics classes, in the app’s order' })
  @ApiOkResponse({ type: CosmeticsClassList })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  async classes(@Query() query: CosmeticsClassListQuery): Promise<CosmeticsClassList> {
    return { items: await this.catalogue.listClasses(query.includeRetired === 'true') };
  }

  @Post('classes')
  @ApiOperation({ summary: 'Add a class (last in the list)', description: 'Audited: cosmetics.class.added' })
  @ApiCreatedResponse({ type: CosmeticsClassDto })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  @ApiConflictResponse({ type: PlainError, description: 'CONFLICT: a live class has this name' })
  addClass(
    @Body() body: CosmeticsClassNameDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CosmeticsClassDto> {
    return this.catalogue.addClass(body.name, { admin, ip: client.ip });
  }

  @Patch('classes/:id')
  @ApiOperation({
    summary: 'Rename a class',
    description: 'Artists’ kits follow the new name. Audited: cosmetics.class.renamed',
  })
  @ApiOkResponse({ type: CosmeticsClassDto })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  @ApiConflictResponse({ type: PlainError, description: 'CONFLICT: another live class has this name' })
  renameClass(
    @Param() { id }: CosmeticsIdParam,
    @Body() body: CosmeticsClassNameDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CosmeticsClassDto> {
    return this.catalogue.renameClass(id, body.name, { admin, ip: client.ip });
  }

  @Post('classes/:id/retire')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retire a class',
    description:
      'It leaves the app’s lists and cannot be chosen any more; kits that have it keep it. Audited: cosmetics.class.retired',
  })
  @ApiOkResponse({ type: CosmeticsClassDto })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  retireClass(
    @Param() { id }: CosmeticsIdParam,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CosmeticsClassDto> {
    return this.catalogue.setClassRetired(id, true, { admin, ip: client.ip });
  }

  @Post('classes/:id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring a retired class back', description: 'Audited: cosmetics.class.restored' })
  @ApiOkResponse({ type: CosmeticsClassDto })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  @ApiConflictResponse({
    type: PlainError,
    description: 'CONFLICT: a live class has taken its name meanwhile',
  })
  restoreClass(
    @Param() { id }: CosmeticsIdParam,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CosmeticsClassDto> {
    return this.catalogue.setClassRetired(id, false, { admin, ip: client.ip });
  }

  @Put('classes/:classId/brands/:brandId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The class lists the brand',
    description: 'Idempotent. Audited: cosmetics.brand.listed',
  })
  @ApiOkResponse({ type: CosmeticsBrandDto })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND: no such class or brand' })
  list(
    @Param() { classId, brandId }: CosmeticsListingParams,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CosmeticsBrandDto> {
    return this.catalogue.setListed(classId, brandId, true, { admin, ip: client.ip });
  }

  @Delete('classes/:classId/brands/:brandId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'The class no longer lists the brand',
    description: 'Idempotent. Kits that pair them keep the pair. Audited: cosmetics.brand.unlisted',
  })
  @ApiOkResponse({ type: CosmeticsBrandDto })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND: no such class or brand' })
  unlist(
    @Param() { classId, brandId }: CosmeticsListingParams,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CosmeticsBrandDto> {
    return this.catalogue.setListed(classId, brandId, false, { admin, ip: client.ip });
  }

  @Get('brands')
  @ApiOperation({ summary: 'Cosmetics brands, in catalogue order' })
  @ApiOkResponse({ type: CosmeticsBrandList })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  async brands(@Query() query: CosmeticsBrandListQuery): Promise<CosmeticsBrandList> {
    return {
      items: await this.catalogue.listBrands({
        classId: query.classId,
        includeRetired: query.includeRetired === 'true',
      }),
    };
  }

  @Post('brands')
  @ApiOperation({
    summary: 'Add a brand, listed by the given classes',
    description: 'Audited: cosmetics.brand.added',
  })
  @ApiCreatedResponse({ type: CosmeticsBrandDto })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS (an unknown class id among them)' })
  @ApiConflictResponse({ type: PlainError, description: 'CONFLICT: a live brand has this name' })
  addBrand(
    @Body() body: AddCosmeticsBrandDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CosmeticsBrandDto> {
    return this.catalogue.addBrand(
      { name: body.name, country: body.country, classIds: [...new Set(body.classIds ?? [])] },
      { admin, ip: client.ip },
    );
  }

  @Patch('brands/:id')
  @ApiOperation({
    summary: 'Rename a brand or change its country',
    description: 'Audited: cosmetics.brand.updated',
  })
  @ApiOkResponse({ type: CosmeticsBrandDto })
  @ApiBadRequestResponse({ type: PlainError, description: 'INVALID_PARAMS' })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  @ApiConflictResponse({ type: PlainError, description: 'CONFLICT: another live brand has this name' })
  updateBrand(
    @Param() { id }: CosmeticsIdParam,
    @Body() body: UpdateCosmeticsBrandDto,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CosmeticsBrandDto> {
    return this.catalogue.updateBrand(
      id,
      { name: body.name, country: body.country },
      { admin, ip: client.ip },
    );
  }

  @Post('brands/:id/retire')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retire a brand',
    description:
      'It leaves the app’s lists and cannot be chosen any more; kits that have it keep it. Audited: cosmetics.brand.retired',
  })
  @ApiOkResponse({ type: CosmeticsBrandDto })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  retireBrand(
    @Param() { id }: CosmeticsIdParam,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CosmeticsBrandDto> {
    return this.catalogue.setBrandRetired(id, true, { admin, ip: client.ip });
  }

  @Post('brands/:id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Bring a retired brand back', description: 'Audited: cosmetics.brand.restored' })
  @ApiOkResponse({ type: CosmeticsBrandDto })
  @ApiNotFoundResponse({ type: PlainError, description: 'NOT_FOUND' })
  @ApiConflictResponse({
    type: PlainError,
    description: 'CONFLICT: a live brand has taken its name meanwhile',
  })
  restoreBrand(
    @Param() { id }: CosmeticsIdParam,
    @CurrentSession() admin: Principal,
    @Client() client: ClientInfo,
  ): Promise<CosmeticsBrandDto> {
    return this.catalogue.setBrandRetired(id, false, { admin, ip: client.ip });
  }
}
