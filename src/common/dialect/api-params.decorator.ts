import { applyDecorators, type Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels } from '@nestjs/swagger';

/**
 * Documents a route's merged parameters. They are described once, as a form/JSON body; the OpenAPI builder turns
 * them into query parameters on the GET twin of a GET/POST route.
 */
export function ApiParams(dto: Type): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(dto),
    ApiConsumes('application/x-www-form-urlencoded', 'application/json', 'multipart/form-data'),
    ApiBody({ type: dto }),
  );
}
