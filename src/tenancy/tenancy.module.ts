import { Global, Module } from '@nestjs/common';
import { TenantRegistry } from '../platform/tenant-registry.service';
import { TenantContext } from './tenant-context';
import { TenantMiddleware } from './tenant.middleware';
import { TenantTransaction } from './tenant-transaction.service';

@Global()
@Module({
  providers: [TenantRegistry, TenantContext, TenantTransaction, TenantMiddleware],
  exports: [TenantRegistry, TenantContext, TenantTransaction, TenantMiddleware],
})
export class TenancyModule {}
