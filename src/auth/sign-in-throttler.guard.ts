import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { t } from '../i18n/i18n';
import { AuthException } from './auth.exception';

/**
 * Per client address, per clinic, over all sign-in endpoints together (forms and API): the tracker
 * is `clinic:{<tenantId>}:throttle:sign-in:<ip>`, so one clinic's traffic never uses up another's
 * allowance. The Redis storage keeps it as `{<tracker>:default}:hits` and `…:blocked`; in a Redis
 * Cluster both keys' hash tag is `clinic:{<tenantId>`, so its one script reaches one slot.
 */
@Injectable()
export class SignInThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Request): Promise<string> {
    return `clinic:{${req.clinic?.id ?? 'none'}}:throttle:sign-in:${req.ip ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const minutes = Math.max(1, Math.ceil(detail.timeToBlockExpire / 60));
    throw new AuthException('too_many_attempts', t('auth:errors.tooManyAttempts', { count: minutes }));
  }
}
