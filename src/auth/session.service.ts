import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { t } from '../i18n/i18n';
import { USER_ROLES, type UserRole } from '../users/user.entity';
import { AuthException } from './auth.exception';
import { isStaff, type Principal, type TokenClaims } from './principal';
import { SESSION_STORE, type SessionRecord, type SessionStore } from './session-store';

export interface IssuedSession {
  readonly accessToken: string;
  /** Seconds until the token itself expires (idle expiry may end the session sooner). */
  readonly expiresIn: number;
  readonly sessionId: string;
}

/** Mints session tokens and keeps the registry that decides whether a token's session is still live. */
@Injectable()
export class SessionService {
  constructor(
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(tenantId: string, user: SessionRecord): Promise<IssuedSession> {
    const sessionId = randomUUID();
    await this.store.start(tenantId, sessionId, user, this.idleSecondsFor(user.role), this.config.sessionMaxSeconds);
    const claims: TokenClaims = { sub: user.userId, tid: tenantId, role: user.role, jti: sessionId };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.sessionMaxSeconds });
    return { accessToken, expiresIn: this.config.sessionMaxSeconds, sessionId };
  }

  /** The principal of a verified token whose session is live (its idle expiry renewed). */
  async resume(claims: TokenClaims, via: Principal['via']): Promise<Principal> {
    if (!wellFormed(claims)) throw new AuthException('token_invalid', t('auth:errors.tokenInvalid'));
    const record = await this.store.touch(claims.tid, claims.jti, this.idleSecondsFor(claims.role));
    if (!record || record.userId !== claims.sub || record.role !== claims.role) {
      throw new AuthException('session_ended', t('auth:errors.sessionEnded'));
    }
    return { ...record, tenantId: claims.tid, sessionId: claims.jti, via };
  }

  end(principal: Principal): Promise<void> {
    return this.store.end(principal.tenantId, principal.sessionId, principal.userId);
  }

  endAllOf(tenantId: string, userId: string): Promise<number> {
    return this.store.endAllOf(tenantId, userId);
  }

  private idleSecondsFor(role: UserRole): number {
    return isStaff(role) ? this.config.staffSessionIdleSeconds : this.config.patientSessionIdleSeconds;
  }
}

function wellFormed(claims: TokenClaims): boolean {
  return (
    typeof claims.sub === 'string' &&
    typeof claims.tid === 'string' &&
    typeof claims.jti === 'string' &&
    (USER_ROLES as readonly string[]).includes(claims.role)
  );
}
