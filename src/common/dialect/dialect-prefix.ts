import { PATH_METADATA } from '@nestjs/common/constants.js';
import type { Type } from '@nestjs/common';
import { dialectOf } from '#src/common/dialect/dialect.decorator.js';
import type { AppConfig } from '#src/config/app-config.js';

const BASE_PATH_METADATA = 'concord:base-path';
const registry = new Set<Type>();

/** Called by each area for its dialect controllers, so a configured prefix (DIALECT_PREFIX_NUZZLE=/n) applies. */
export function registerDialectController(controller: Type): void {
  registry.add(controller);
}

/**
 * Mounts each dialect's controllers under its configured prefix (none by default: the documents' paths do not
 * collide). Recomputed from the documented path each time, so several apps in one process (tests) do not stack
 * prefixes.
 */
export function applyDialectPrefixes(config: AppConfig): void {
  for (const controller of registry) {
    const dialect = dialectOf(controller);
    if (!dialect) continue;
    let base = Reflect.getMetadata(BASE_PATH_METADATA, controller) as string | undefined;
    if (base === undefined) {
      base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      Reflect.defineMetadata(BASE_PATH_METADATA, base, controller);
    }
    const prefix = config.dialects.prefixes[dialect];
    Reflect.defineMetadata(PATH_METADATA, prefix ? `${prefix}/${base.replace(/^\//, '')}` : base, controller);
  }
}
