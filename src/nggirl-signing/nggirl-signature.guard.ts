import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Logger } from 'pino';
import { ROOT_LOGGER } from '#src/common/logging/logger.module.js';
import { signingParamsOfRequest } from '#src/nggirl-signing/canonical-string.js';
import { RequestSignatureVerifier } from '#src/nggirl-signing/request-signature-verifier.js';
import { SignatureRejected } from '#src/nggirl-signing/signature-rejected.js';

/**
 * nggirl's request check, run on every nggirl route before its own guards (provided under
 * `dialectGuardToken('nggirl')`, so no handler declares it): the request's signature, timestamp, nonce and app
 * (docs/dialects/nggirl.md, "Request signing"). A refusal is the pipeline's BAD_SIGNATURE (code 8) saying which
 * check failed. Requests of an app in its migration period pass unsigned and are logged with the app id.
 */
@Injectable()
export class NggirlSignatureGuard implements CanActivate {
  private readonly logger: Logger;

  constructor(
    private readonly verifier: RequestSignatureVerifier,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'nggirl-signing' });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request & { id?: string }>();
    let verified;
    try {
      verified = await this.verifier.verify(signingParamsOfRequest(req));
    } catch (error) {
      throw error instanceof SignatureRejected ? error.toTransportFailure() : error;
    }
    if (!verified.signed) {
      this.logger.warn(
        { appId: verified.appId, method: req.method, path: req.path, requestId: req.id },
        'unsigned nggirl request accepted (app in its migration period)',
      );
    }
    return true;
  }
}
