import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '#src/common/errors/domain-error.js';

/**
 * What one request may carry in its parameters, checked right after the body parsers and before anything walks the
 * values (class-transformer's cost grows faster than linearly with the keys of one object, and it recurses without a
 * limit). The legacy documents send flat parameters, with two small nested values (nuzzle's `/pay/verify`
 * `recharge[]`, nggirl's `cosmeticsInfo`), so the defaults leave them ample room.
 */
export interface RequestBounds {
  /** Keys and array elements in all, query string and body together. */
  maxParams: number;
  /** Nesting of objects and arrays; a flat parameter object is depth 1. */
  maxDepth: number;
  /** Elements of any one array. */
  maxArrayLength: number;
}

/** Why a value is out of bounds, or undefined when it is within them. Iterative: no recursion to overflow. */
export function exceedsBounds(
  value: unknown,
  bounds: RequestBounds,
  budget = { params: 0 },
): string | undefined {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > bounds.maxDepth) return `nested deeper than ${bounds.maxDepth} levels`;
    if (Array.isArray(current)) {
      if (current.length > bounds.maxArrayLength) return `an array longer than ${bounds.maxArrayLength}`;
      budget.params += current.length;
      if (budget.params > bounds.maxParams) return `more than ${bounds.maxParams} parameters`;
      for (const item of current) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    // for-in stops counting as soon as the budget is spent, where Object.keys would first copy every key.
    for (const key in current) {
      if (!Object.hasOwn(current, key)) continue;
      if (++budget.params > bounds.maxParams) return `more than ${bounds.maxParams} parameters`;
      stack.push({ value: (current as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Refuses a request whose query string or parsed body (JSON, urlencoded, multipart fields) is out of bounds, with
 * the dialect's parameter error. Runs after the body parsers, before routing.
 */
export function requestBounds(bounds: RequestBounds) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const budget = { params: 0 };
    const problem =
      exceedsBounds(req.query, bounds, budget) ?? exceedsBounds(req.body as unknown, bounds, budget);
    next(
      problem ? new DomainError('INVALID_PARAMS', `request parameters out of bounds: ${problem}`) : undefined,
    );
  };
}

/**
 * JSON sent inside one parameter (a form field holding an array): parsed only when within the same bounds, so a
 * DTO that parses it cannot be made to walk a huge value.
 */
export function parseBoundedJson(text: string, bounds: RequestBounds): unknown {
  const value: unknown = JSON.parse(text);
  const problem = exceedsBounds(value, bounds);
  if (problem) throw new DomainError('INVALID_PARAMS', `parameter out of bounds: ${problem}`);
  return value;
}
