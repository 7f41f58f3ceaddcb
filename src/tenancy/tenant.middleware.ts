import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { t } from '../i18n/i18n';
import { applyLanguage, requestLanguage } from '../i18n/request-language';
import { TenantRegistry } from '../platform/tenant-registry.service';
import { TenancyException } from './tenancy.exception';

/** Paths that answer on any host, before and without tenant resolution. */
export const HOST_AGNOSTIC_PATHS = /^\/(healthz|readyz|metrics(?=$|[/?])|static\/)/;

/** Host header → clinic (or the platform's root host). Unknown hosts get 404, suspended clinics 503. */
@Injectable()
export class TenantMiddleware implements NestMiddleware {
  constructor(private readonly registry: TenantRegistry) {}

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    // originalUrl: inside Nest's mounted middleware `req.path` is relative to the mount point
    if (HOST_AGNOSTIC_PATHS.test(req.originalUrl)) return next();
    const resolution = await this.registry.resolve(req.headers.host);
    // before any refusal below, so even "unknown clinic" and "suspended" pages read in the right language
    applyLanguage(req, res, requestLanguage(req, resolution.kind === 'clinic' ? resolution.tenant.language : undefined));
    switch (resolution.kind) {
      case 'root':
        req.hostKind = 'root';
        return next();
      case 'unknown':
        throw new TenancyException('unknown_clinic', resolution.host ? t('common:errors.unknownClinic', { host: resolution.host }) : t('common:errors.unknownClinicHere'));
      case 'clinic':
        if (resolution.tenant.status === 'suspended') {
          req.hostKind = 'clinic';
          throw new TenancyException('clinic_suspended', t('common:errors.suspended', { clinic: resolution.tenant.displayName }));
        }
        req.hostKind = 'clinic';
        req.clinic = resolution.tenant;
        return next();
    }
  }
}
