import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { Request, Response } from 'express';
import { AppException } from '../common/errors/app-exception';
import { isApiRequest } from '../common/http/htmx';
import { ACCESS_RULE, type AccessRule, FORM_VIEW, type FormView } from './access.decorator';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { t } from '../i18n/i18n';
import { AuthException, signInRequired } from './auth.exception';
import { cookieNames, cookieOptions } from './cookies';
import { CsrfService } from './csrf.service';
import { sessionTokenReader } from './jwt.strategy';
import type { Principal } from './principal';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** passport-jwt through Nest's AuthGuard, told not to refuse a request that simply has no token. */
class JwtAuthentication extends AuthGuard('jwt') {
  override handleRequest<T = Principal>(error: unknown, principal: T | false, info: unknown): T | null {
    if (error) throw error;
    if (principal) return principal;
    if (info instanceof Error && info.message !== 'No auth token') throw tokenRefusal(info);
    return null;
  }
}

/**
 * The clinic host's one access policy, applied to every route: who is asking (the session token),
 * whether the form post is genuine (CSRF), and whether their role may reach the route. A route
 * without a declared rule is refused, so a new route can never be open by accident.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);
  private readonly jwt = new JwtAuthentication();

  private readonly sessionCookie: string;
  private readonly sessionToken: (req: Request) => string | null;

  constructor(
    private readonly reflector: Reflector,
    private readonly csrf: CsrfService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.sessionCookie = cookieNames(config).session;
    this.sessionToken = sessionTokenReader(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const res = context.switchToHttp().getResponse<Response>();
    const targets = [context.getHandler(), context.getClass()];
    // the exception filter re-renders this form on a refusal; guards are the first to know the route
    res.locals.formView = this.reflector.getAllAndOverride<FormView | undefined>(FORM_VIEW, targets);
    if (req.hostKind !== 'clinic') return true; // the platform's own pages have no sign-in

    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, targets);
    if (!rule) {
      this.logger.error(`${req.method} ${req.route?.path ?? req.path} declares no access rule; refused`);
      throw new AppException('route_without_access_rule', 403, t('auth:errors.notAvailable'));
    }

    const principal = await this.authenticate(context, rule, res);
    if (rule.kind === 'roles' && !principal) throw signInRequired();
    if (!SAFE_METHODS.has(req.method) && !isApiRequest(req)) this.csrf.verify(req);
    if (rule.kind === 'roles' && principal && !rule.roles.includes(principal.role)) {
      throw new AuthException('role_forbidden', t('auth:errors.roleForbidden'));
    }
    return true;
  }

  /** On a public page a dead or foreign token is not an error: the visitor is anonymous and the stale cookie goes. */
  private async authenticate(context: ExecutionContext, rule: AccessRule, res: Response): Promise<Principal | undefined> {
    // no token at all: anonymous, without passport's round of objects and a thrown-away Error per visit
    if (!this.sessionToken(context.switchToHttp().getRequest<Request>())) return undefined;
    try {
      await this.jwt.canActivate(context);
    } catch (error) {
      if (!(rule.kind === 'public' && error instanceof AuthException)) throw error;
      res.clearCookie(this.sessionCookie, cookieOptions(this.config));
      return undefined;
    }
    return context.switchToHttp().getRequest<Request>().user ?? undefined;
  }
}

function tokenRefusal(info: Error): AuthException {
  if (info.name === 'TokenExpiredError') return new AuthException('session_expired', t('auth:errors.sessionExpired'));
  return new AuthException('token_invalid', t('auth:errors.tokenInvalid'));
}
