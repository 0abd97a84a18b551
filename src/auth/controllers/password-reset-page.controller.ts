import { Body, Controller, Get, Header, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PasswordResetService } from '#src/auth/password-reset.service.js';
import { resetDonePage, resetFormPage, resetInvalidPage } from '#src/auth/controllers/password-reset.page.js';
import { md5Hex } from '#src/auth/password-digest.js';
import { Public } from '#src/common/dialect/public.decorator.js';
import { DomainError } from '#src/common/errors/domain-error.js';

const NO_LEAK_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  // The token is in the URL: no referrer may carry it elsewhere, and the page loads nothing from anywhere.
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
};

function send(res: Response, status: number, html: string): void {
  res.status(status).set(NO_LEAK_HEADERS).send(html);
}

/** What completing a reset throws for a link that is spent, expired or unknown; anything else is a crash. */
function isSpentLink(error: unknown): boolean {
  return error instanceof DomainError && error.code === 'CODE_EXPIRED';
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The page a reset mail links to. Dialect-neutral (any dialect's forgot-password mails this link) and plain HTML:
 * it renders its own outcomes instead of an envelope.
 */
@ApiExcludeController()
@Public()
@Controller('account')
export class PasswordResetPageController {
  constructor(private readonly passwords: PasswordResetService) {}

  @Get('reset-password')
  @Header('Cache-Control', 'no-store')
  async form(@Query('token') token: unknown, @Res() res: Response): Promise<void> {
    const value = asString(token);
    const state = value ? await this.passwords.inspectResetToken(value) : 'unknown';
    if (state === 'valid') send(res, 200, resetFormPage(value));
    else send(res, 410, resetInvalidPage());
  }

  @Post('reset-password')
  @HttpCode(200)
  async submit(@Body() body: Record<string, unknown>, @Res() res: Response): Promise<void> {
    const token = asString(body?.token);
    const password = asString(body?.password);
    const confirm = asString(body?.confirm);
    if (!token || (await this.passwords.inspectResetToken(token)) !== 'valid') {
      send(res, 410, resetInvalidPage());
      return;
    }
    const length = [...password].length;
    if (length < 6 || length > 64) {
      send(
        res,
        422,
        resetFormPage(token, '密码长度需为 6–64 个字符。 The password must be 6–64 characters.'),
      );
      return;
    }
    if (password !== confirm) {
      send(res, 422, resetFormPage(token, '两次输入的密码不一致。 The two passwords differ.'));
      return;
    }
    try {
      // Clients hash before sending; a browser form sends plain text, so the shared md5 form is computed here.
      await this.passwords.completePasswordReset(token, md5Hex(password));
    } catch (error) {
      // Lost a race with another submit of the same link: the link is spent either way. Anything else is a crash
      // for the exception filter (logged once, with the request id), never shown as a spent link.
      if (!isSpentLink(error)) throw error;
      send(res, 410, resetInvalidPage());
      return;
    }
    send(res, 200, resetDonePage());
  }
}
