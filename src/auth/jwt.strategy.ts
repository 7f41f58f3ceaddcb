import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { isApiRequest } from '../common/http/htmx';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { t } from '../i18n/i18n';
import { AuthException } from './auth.exception';
import { cookieNames } from './cookies';
import type { Principal, TokenClaims } from './principal';
import { SessionService } from './session.service';

export const JWT_ALGORITHM = 'HS256';

/**
 * Where a request carries its session token: the Authorization header on `/api/*` (cookies are
 * ignored there, so the API needs no CSRF token), the httpOnly cookie everywhere else.
 */
export function sessionTokenReader(config: AppConfig): (req: Request) => string | null {
  const bearer = ExtractJwt.fromAuthHeaderAsBearerToken();
  const cookie = cookieNames(config).session;
  return (req) => (isApiRequest(req) ? bearer(req) : ((req.cookies as Record<string, string> | undefined)?.[cookie] ?? null));
}

/** Verifies the session token. A token is accepted only on the host of the clinic that minted it and only while its session is live. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly sessions: SessionService,
  ) {
    super({
      jwtFromRequest: sessionTokenReader(config),
      // a KeyObject, made once: given the secret as text, jsonwebtoken first tries (and fails) to read it
      // as a public key on every verification — an exception per request, a tenth of a cached request's CPU
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret)) as unknown as Buffer,
      algorithms: [JWT_ALGORITHM],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  async validate(req: Request, claims: TokenClaims): Promise<Principal> {
    if (!req.clinic || claims.tid !== req.clinic.id) {
      throw new AuthException('wrong_clinic', t('auth:errors.wrongClinic'));
    }
    return this.sessions.resume(claims, isApiRequest(req) ? 'bearer' : 'cookie');
  }
}
