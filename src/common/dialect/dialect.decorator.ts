import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { DialectName } from '#src/dialects/dialect.js';

export const DIALECT_METADATA = 'concord:dialect';

/**
 * Marks a controller as speaking one legacy dialect: its results are wrapped in that dialect's envelope, its
 * failures mapped to its codes, its token read where its clients put it, and its routes listed in that dialect's
 * OpenAPI document (selected by tag).
 */
export function Dialect(name: DialectName): ClassDecorator {
  return applyDecorators(SetMetadata(DIALECT_METADATA, name), ApiTags(name));
}

export function dialectOf(controller: object): DialectName | undefined {
  return Reflect.getMetadata(DIALECT_METADATA, controller) as DialectName | undefined;
}
