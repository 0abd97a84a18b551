import { applyDecorators, Post, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const OPERATION_METADATA = 'concord:operation';

/**
 * How one operation on a shared path is chosen (mrpyq serves several on `/friend`, `/register`…):
 * - `marker`: a parameter the request carries with a value other than empty, `0` or `false` (`search=1`);
 * - `present`: parameters that are all present, when no operation's marker is;
 * - neither: the operation when nothing else matches.
 */
export interface OperationSelector {
  marker?: string;
  present?: readonly string[];
}

export interface OperationMetadata {
  /** The documented path, relative to the controller's (`friend`). */
  sharedPath: string;
  /** Unique on the path: the marker, `with-<params>` or `default`. */
  name: string;
  selector: OperationSelector;
}

/** The path segment that names an operation inside Concord; clients never send it. */
export const OPERATION_SEGMENT = '~';

export function operationName(selector: OperationSelector): string {
  if (selector.marker) return selector.marker;
  if (selector.present?.length) return `with-${selector.present.join('-')}`;
  return 'default';
}

/**
 * Declares a handler as one operation of a documented path that serves several, chosen by a marker or by the
 * parameters a request carries. Each operation is a handler of its own, with its own DTO, guards, reply metadata
 * and OpenAPI entry: `OperationRouter` picks the operation before Nest routes the request, by rewriting the path to
 * the operation's own (`/friend` → `/friend/~search`). POST, as the documents say.
 */
export function Operation(sharedPath: string, selector: OperationSelector): MethodDecorator {
  const metadata: OperationMetadata = { sharedPath, name: operationName(selector), selector };
  const internal = `${sharedPath.replace(/\/+$/, '')}/${OPERATION_SEGMENT}${metadata.name}`;
  return applyDecorators(
    SetMetadata(OPERATION_METADATA, metadata),
    Post(internal),
    ApiExtension('x-operation', { path: sharedPath, ...selector }),
  );
}
