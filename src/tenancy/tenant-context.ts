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

  /**
   * Runs `task` once the request's transaction has committed (and not at all if it rolls back),
   * before the answer leaves: for effects outside the database that must not run ahead of the data,
   * such as evicting a cached view of it.
   */
  afterCommit(task: () => Promise<void>): void {
    const tasks = this.cls.isActive() ? this.cls.get<(() => Promise<void>)[] | undefined>('afterCommit') : undefined;
    if (!tasks) throw noContext();
    tasks.push(task);
  }

  /**
   * Cache keys of this clinic: `clinic:{<tenantId>}:<kind>:<…>`. The braces are a Redis Cluster hash
   * tag: all of one clinic's keys hash to one slot, so a script or MULTI over several of them works.
   */
  key(kind: string, ...parts: (string | number)[]): string {
    return [`clinic:{${this.tenant.id}}`, kind, ...parts].join(':');
  }
}

const noContext = () =>
  new TenancyException('no_tenant_context', 'Clinic data was requested outside a clinic request: no tenant transaction is open');
