import {
  applyDecorators,
  Injectable,
  SetMetadata,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import { UnknownElementException } from '@nestjs/core/errors/exceptions/unknown-element.exception.js';
import { ApiTags } from '@nestjs/swagger';
import type { DialectName } from '#src/dialects/dialect.js';

export const DIALECT_METADATA = 'concord:dialect';

/**
 * The DI token under which an area provides a dialect's request guard: the checks every request of that dialect
 * passes before its route's own guards (nggirl's signature, moretv's origin check). A dialect with no provider
 * under its token has no such checks.
 */
export function dialectGuardToken(name: DialectName): string {
  return `concord:dialect-guard:${name}`;
}

/** Runs the request guard of the route's dialect, found by its token wherever an area provides it. */
@Injectable()
export class DialectRequestGuard implements CanActivate {
  private readonly guards = new Map<DialectName, CanActivate | undefined>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const dialect = this.reflector.get<DialectName | undefined>(DIALECT_METADATA, context.getClass());
    if (!dialect) return true;
    const guard = this.guardOf(dialect);
    return guard ? (guard.canActivate(context) as boolean | Promise<boolean>) : true;
  }

  private guardOf(dialect: DialectName): CanActivate | undefined {
    if (!this.guards.has(dialect)) {
      let guard: CanActivate | undefined;
      try {
        guard = this.moduleRef.get<CanActivate>(dialectGuardToken(dialect), { strict: false });
      } catch (error) {
        if (!(error instanceof UnknownElementException)) throw error;
      }
      this.guards.set(dialect, guard);
    }
    return this.guards.get(dialect);
  }
}

/**
 * Marks a controller as speaking one legacy dialect: its results are wrapped in that dialect's envelope, its
 * failures mapped to its codes, its token read where its clients put it, its requests checked by the dialect's
 * request guard, and its routes listed in that dialect's OpenAPI document (selected by tag).
 */
export function Dialect(name: DialectName): ClassDecorator {
  return applyDecorators(SetMetadata(DIALECT_METADATA, name), ApiTags(name), UseGuards(DialectRequestGuard));
}

export function dialectOf(controller: object): DialectName | undefined {
  return Reflect.getMetadata(DIALECT_METADATA, controller) as DialectName | undefined;
}
