import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { TenantRegistry } from '../platform/tenant-registry.service';
import { TenancyException } from './tenancy.exception';

/** Paths that answer on any host, before and without tenant resolution. */
export const HOST_AGNOSTIC_PATHS = /^\/(healthz|readyz|static\/)/;

/** Host header → clinic (or the platform's root host). Unknown hosts get 404, suspended clinics 503. */
@Injectable()
export class TenantMiddleware implements NestMiddleware {
  constructor(private readonly registry: TenantRegistry) {}

  async use(req: Request, _res: Response, next: NextFunction): Promise<void> {
    // originalUrl: inside Nest's mounted middleware `req.path` is relative to the mount point
    if (HOST_AGNOSTIC_PATHS.test(req.originalUrl)) return next();
    const resolution = await this.registry.resolve(req.headers.host);
    switch (resolution.kind) {
      case 'root':
        req.hostKind = 'root';
        return next();
      case 'unknown':
        throw new TenancyException('unknown_clinic', `There is no clinic at ${resolution.host || 'this address'}.`);
      case 'clinic':
        if (resolution.tenant.status === 'suspended') {
          req.hostKind = 'clinic';
          throw new TenancyException('clinic_suspended', `${resolution.tenant.displayName} is temporarily unavailable.`);
        }
        req.hostKind = 'clinic';
        req.clinic = resolution.tenant;
        return next();
    }
  }
}
