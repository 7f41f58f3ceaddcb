import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { TenantTransaction } from './tenant-transaction.service';

/**
 * Every clinic request's handler runs inside that clinic's transaction, and its answer leaves only
 * after COMMIT: a handler that sends the response itself (`@Res()`: a redirect, a rendered page) has
 * its `res.end` held until the transaction settles, so a browser following a 303 at once always
 * sees what the request wrote — and a request whose COMMIT fails never tells anyone it succeeded.
 */
@Injectable()
export class TenantTransactionInterceptor implements NestInterceptor {
  constructor(private readonly transaction: TenantTransaction) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const tenant = context.switchToHttp().getRequest<Request>().clinic;
    if (!tenant) return next.handle();
    const held = holdResponse(context.switchToHttp().getResponse<Response>());
    const work = this.transaction.run(tenant, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
    return from(
      work.then(
        (result) => {
          held.release();
          return result;
        },
        (error: unknown) => {
          held.discard();
          throw error;
        },
      ),
    );
  }
}

/** Defers `res.end` (through which Express's send, render and redirect all finish) until released. */
function holdResponse(res: Response): { release(): void; discard(): void } {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let pending: unknown[] | undefined;
  res.end = ((...args: unknown[]) => {
    pending = args;
    return res;
  }) as Response['end'];
  return {
    release() {
      res.end = end as Response['end'];
      if (pending) end(...pending);
    },
    discard() {
      res.end = end as Response['end'];
      if (!pending) return;
      // the answer the handler prepared never leaves; the error answer replaces it
      pending = undefined;
      for (const header of ['Location', 'HX-Redirect', 'HX-Trigger', 'HX-Retarget', 'HX-Reswap']) res.removeHeader(header);
    },
  };
}
