import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import type { Tenant } from '../platform/tenant';
import { TenancyException } from './tenancy.exception';

/**
 * The clinic of the current request and the entity manager of its transaction, carried by
 * AsyncLocalStorage. The only way tenant code reaches tenant data: outside a clinic's transaction
 * every accessor throws instead of falling back to some other connection.
 */
@Injectable()
export class TenantContext {
  constructor(private readonly cls: ClsService) {}

  get tenant(): Tenant {
    const tenant = this.cls.isActive() ? this.cls.get<Tenant | undefined>('tenant') : undefined;
    if (!tenant) throw noContext();
    return tenant;
  }

  get manager(): EntityManager {
    const manager = this.cls.isActive() ? this.cls.get<EntityManager | undefined>('manager') : undefined;
    if (!manager) throw noContext();
    return manager;
  }

  repository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    return this.manager.getRepository(entity);
  }

  /** Cache and session keys of this clinic: `clinic:{tenantId}:{kind}:{…}`. */
  key(kind: string, ...parts: (string | number)[]): string {
    return ['clinic', this.tenant.id, kind, ...parts].join(':');
  }
}

const noContext = () =>
  new TenancyException('no_tenant_context', 'Clinic data was requested outside a clinic request: no tenant transaction is open');
