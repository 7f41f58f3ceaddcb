import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { doubleCsrf, type DoubleCsrfUtilities } from 'csrf-csrf';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { t } from '../i18n/i18n';
import { AuthException } from './auth.exception';
import { cookieNames, cookieOptions } from './cookies';

export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/**
 * Double-submit CSRF tokens (csrf-csrf): an httpOnly cookie holds an HMAC bound to the session (or,
 * before sign-in, to the clinic), and every unsafe form post or HTMX request must echo it — forms in
 * a hidden `_csrf` field, HTMX in the `X-CSRF-Token` header set once on the layout's <body>.
 * Bearer-token API calls carry no cookie and are exempt.
 */
@Injectable()
export class CsrfService {
  private readonly csrf: DoubleCsrfUtilities;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    // a key of its own, derived from the token secret, so one can never stand in for the other
    const secret = createHmac('sha256', config.jwtSecret).update('csrf').digest('hex');
    this.csrf = doubleCsrf({
      getSecret: () => secret,
      getSessionIdentifier: (req) => (req.user as { sessionId?: string } | undefined)?.sessionId ?? `anonymous:${req.clinic?.id ?? ''}`,
      cookieName: cookieNames(config).csrf,
      cookieOptions: cookieOptions(config),
      getCsrfTokenFromRequest: (req) => {
        const header = req.headers[CSRF_HEADER];
        if (typeof header === 'string') return header;
        const field = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
        return typeof field === 'string' ? field : undefined;
      },
    });
  }

  /** The token for this page's forms (the same one while the cookie's token is still valid for this session). */
  token(req: Request, res: Response): string {
    return this.csrf.generateCsrfToken(req, res);
  }

  /** Refuses an unsafe request without a matching token, then drops the field so DTO validation never sees it. */
  verify(req: Request): void {
    if (!this.csrf.validateRequest(req)) {
      throw new AuthException('csrf_invalid', t('auth:errors.csrf'));
    }
    if (req.body && typeof req.body === 'object') delete (req.body as Record<string, unknown>)[CSRF_FIELD];
  }
}
