import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';
import { isApiRequest } from '../common/http/htmx';
import { PageLocals } from './page-locals.service';

/** Pages and fragments of a clinic get their shared locals; the JSON API does not need them. */
@Injectable()
export class PageLocalsInterceptor implements NestInterceptor {
  constructor(private readonly locals: PageLocals) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.clinic && !isApiRequest(req)) this.locals.fill(req, context.switchToHttp().getResponse<Response>());
    return next.handle();
  }
}
