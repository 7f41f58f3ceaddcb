import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { preferConnectionFor } from '../database/affine-pool';
import { inLazyTransaction, type SessionTimeouts, tenantSettings } from '../database/sql';
import type { Tenant } from '../platform/tenant';

/** Work registered with `TenantContext.afterCommit`. */
export type AfterCommit = () => Promise<void>;

/**
 * Runs work as one clinic: one pooled connection, one transaction whose search_path, role and
 * timeouts are set transaction-locally (taken at the first query, in the round trip that begins the
 * transaction; none without a query), committed
 * if `work` resolves and rolled back if it throws;
 * then the after-commit tasks. Used by every clinic request (through the interceptor) and by
 * anything else acting for a clinic.
 */
@Injectable()
export class TenantTransaction {
  private readonly logger = new Logger(TenantTransaction.name);
  private readonly timeouts: SessionTimeouts;

  constructor(
    private readonly dataSource: DataSource,
    private readonly cls: ClsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.timeouts = {
      statementTimeoutMs: config.tenantStatementTimeoutMs,
      idleInTransactionTimeoutMs: config.tenantIdleInTransactionTimeoutMs,
    };
  }

  run<T>(tenant: Tenant, work: () => Promise<T>): Promise<T> {
    return this.cls.run({ ifNested: 'inherit' }, async () => {
      const afterCommit: AfterCommit[] = [];
      // the transaction opens with the first query: a request answered from the cache sends none
      // on the clinic's home connection when it is free, whose backend has this schema's catalog cached
      const result = await preferConnectionFor(tenant.schemaName, () => inLazyTransaction(this.dataSource, tenantSettings(tenant, this.timeouts), async (runner) => {
        this.cls.set('tenant', tenant);
        this.cls.set('manager', runner.manager);
        this.cls.set('afterCommit', afterCommit);
        try {
          return await work();
        } finally {
          this.cls.set('manager', undefined);
          this.cls.set('afterCommit', undefined);
        }
      }));
      for (const task of afterCommit) {
        // the writes are committed; a failing follow-up (a cache eviction) is logged, not turned into a failed request
        await task().catch((error: unknown) => this.logger.error(`After-commit task failed: ${error instanceof Error ? error.message : String(error)}`));
      }
      return result;
    });
  }
}
