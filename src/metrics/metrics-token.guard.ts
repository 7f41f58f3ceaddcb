import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { t } from '../i18n/i18n';
import { MetricsException } from './metrics.exception';
import { MetricsService } from './metrics.service';

/**
 * `/metrics` answers only with `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise, with no
 * metric in the answer), and not at all (404) when no token is configured.
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly metrics: MetricsService) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.metrics.enabled) throw new MetricsException('metrics_disabled', t('common:errors.noPage'));
    const req = context.switchToHttp().getRequest<Request>();
    if (this.metrics.authorizes(req.headers.authorization)) return true;
    context.switchToHttp().getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
    throw new MetricsException('metrics_token_required', t('metrics:errors.tokenRequired'));
  }
}
