import type { Type } from '@nestjs/common';
import { registerDialectController } from '#src/common/dialect/dialect-prefix.js';
import { dialectOf } from '#src/common/dialect/dialect.decorator.js';
import type { DialectName } from '#src/dialects/dialect.js';

/** An area mounts only the controllers of enabled dialects (DIALECTS=nuzzle,xiaoma serves a subset). */
export function dialectControllers(enabled: readonly DialectName[], controllers: Type[]): Type[] {
  return controllers.filter((controller) => {
    const dialect = dialectOf(controller);
    if (dialect) registerDialectController(controller);
    return dialect === undefined || enabled.includes(dialect);
  });
}
