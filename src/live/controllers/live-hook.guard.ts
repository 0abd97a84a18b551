import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError } from '#src/common/errors/domain-error.js';
import type { AppConfig } from '#src/config/app-config.js';
import { APP_CONFIG } from '#src/config/config.module.js';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 (what a dual-stack socket reports). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/**
 * The media server's callbacks decide who may publish, so only the media server may call them: the shared
 * LIVE_HOOK_SECRET must come as the `secret` query parameter (compared in constant time; request logs redact it),
 * and, unless LIVE_HOOK_ALLOW_REMOTE, the peer must be on this machine. The peer is the socket's, never
 * X-Forwarded-For. Refusals are FORBIDDEN (403).
 */
@Injectable()
export class LiveHookGuard implements CanActivate {
  private readonly secretDigest: Buffer;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.secretDigest = createHash('sha256').update(config.live.local.hookSecret).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!this.config.live.local.hookAllowRemote && !isLoopback(req.socket.remoteAddress)) {
      throw new DomainError('FORBIDDEN', 'callbacks are accepted from this machine only');
    }
    const presented = req.query.secret;
    const digest = createHash('sha256')
      .update(typeof presented === 'string' ? presented : '')
      .digest();
    // No secret configured (production without LIVE_HOOK_SECRET): nothing is accepted, not even an empty one.
    const configured = this.config.live.local.hookSecret !== '';
    if (!configured || typeof presented !== 'string' || !timingSafeEqual(digest, this.secretDigest)) {
      throw new DomainError('FORBIDDEN', 'wrong callback secret');
    }
    return true;
  }
}
