import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { AuthException } from './auth.exception';

/**
 * Per client address, per clinic, over all sign-in endpoints together (forms and API): the key is
 * `clinic:{tenantId}:throttle:sign-in:{ip}`, so one clinic's traffic never uses up another's allowance.
 */
@Injectable()
export class SignInThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(req: Request): Promise<string> {
    return `clinic:${req.clinic?.id ?? 'none'}:throttle:sign-in:${req.ip ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string): string {
    return tracker;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const minutes = Math.max(1, Math.ceil(detail.timeToBlockExpire / 60));
    throw new AuthException(
      'too_many_attempts',
      `Too many sign-in attempts from this connection. Please wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`,
    );
  }
}
