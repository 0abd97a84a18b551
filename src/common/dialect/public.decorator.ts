import { SetMetadata } from '@nestjs/common';

export const PUBLIC_METADATA = 'concord:public';

/**
 * The route answers without a session (sign-in, registration, codes, pages before sign-in). Every route is either
 * this or authenticated; the route contract spec checks that no route is neither.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_METADATA, true);
