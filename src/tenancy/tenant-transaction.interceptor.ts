import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { TenantTransaction } from './tenant-transaction.service';

/** Every clinic request's handler runs inside that clinic's transaction. */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(private readonly transaction: TenantTransaction) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const tenant = context.switchToHttp().getRequest<Request>().clinic;
    if (!tenant) return next.handle();
    return from(this.transaction.run(tenant, () => lastValueFrom(next.handle(), { defaultValue: undefined })));
  }
}
