import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { t } from '../i18n/i18n';
import { HOST_KIND, type HostKind } from './host-kind.decorator';
import { TenancyException } from './tenancy.exception';

/** A clinic page does not exist on the root host and vice versa: 404, as for any unknown page. */
@Injectable()
export class HostGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const wanted = this.reflector.getAllAndOverride<HostKind>(HOST_KIND, [context.getHandler(), context.getClass()]) ?? 'clinic';
    if (wanted === 'any') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (req.hostKind !== wanted) throw new TenancyException('wrong_host', t('common:errors.noPage'));
    return true;
  }
}
