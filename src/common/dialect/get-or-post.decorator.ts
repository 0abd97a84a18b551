import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';

/**
 * Serves one handler on GET and POST, as the documents' "POST/GET" endpoints require. Nest maps one method per
 * handler, so this clones the finished handler (with all of its metadata) onto a sibling `<name>ViaPost` key.
 * It must be the topmost decorator, so that every other decorator has already run.
 */
export function GetOrPost(path: string | string[]): MethodDecorator {
  return (target, key, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => unknown;
    Reflect.defineMetadata(PATH_METADATA, path, original);
    Reflect.defineMetadata(METHOD_METADATA, RequestMethod.GET, original);

    const postKey = `${String(key)}ViaPost`;
    const viaPost = function (this: unknown, ...args: unknown[]) {
      return original.apply(this, args);
    };
    // Named like its key, so whoever names the handler (logs, the route contract) sees `xViaPost`, not `viaPost`.
    Object.defineProperty(viaPost, 'name', { value: postKey });
    for (const metaKey of Reflect.getMetadataKeys(original) as unknown[]) {
      Reflect.defineMetadata(metaKey, Reflect.getMetadata(metaKey, original), viaPost);
    }
    Reflect.defineMetadata(METHOD_METADATA, RequestMethod.POST, viaPost);
    // Parameter metadata (route args, design types) is keyed by the method name on the prototype/constructor.
    for (const holder of [target, target.constructor]) {
      for (const metaKey of Reflect.getOwnMetadataKeys(holder, key) as unknown[]) {
        Reflect.defineMetadata(metaKey, Reflect.getOwnMetadata(metaKey, holder, key), holder, postKey);
      }
    }
    Object.defineProperty(target, postKey, { ...descriptor, value: viaPost });
    return descriptor;
  };
}
