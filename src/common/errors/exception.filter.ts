import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isApiRequest, wantsFragment } from '../http/htmx';
import { AppException } from './app-exception';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  423: 'locked',
  429: 'too_many_requests',
  503: 'unavailable',
};

const TITLE_BY_STATUS: Record<number, string> = {
  400: 'That request could not be understood',
  401: 'Please sign in',
  403: 'Not allowed',
  404: 'Page not found',
  409: 'That conflicts with something else',
  422: 'Please check what you entered',
  429: 'Too many attempts',
  503: 'Temporarily unavailable',
  500: 'Something went wrong',
};

interface ErrorBody {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string[]>;
}

/**
 * Every error, one way: JSON `{ error: { code, message, fields } }` for the API, an alert fragment
 * for HTMX, a friendly page otherwise. Never a stack trace; the unexpected is logged as a 500.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Error');

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.describe(exception, req);
    if (res.headersSent) return void res.end();
    res.status(body.status);
    if (isApiRequest(req) || !req.accepts('html')) {
      res.json({ error: { code: body.code, message: body.message, ...(body.fields ? { fields: body.fields } : {}) } });
      return;
    }
    const view = this.viewFor(body.code, req);
    res.vary('HX-Request');
    res.render(view.name, { ...body, title: TITLE_BY_STATUS[body.status] ?? TITLE_BY_STATUS[500], clinic: req.clinic, layout: view.layout }, (err, html) => {
      if (err) {
        this.logger.error(`Could not render error page ${view.name}: ${err.message}`);
        res.type('text/plain').send(body.message);
        return;
      }
      res.type('html').send(html);
    });
  }

  private describe(exception: unknown, req: Request): ErrorBody {
    if (exception instanceof AppException) {
      if (exception.status >= 500 && exception.status !== 503) this.logger.error(exception.message, exception.stack);
      return { status: exception.status, code: exception.code, message: exception.message, fields: exception.fields };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
      return { status, code: CODE_BY_STATUS[status] ?? 'error', message: status === 404 ? 'There is no page at this address.' : message };
    }
    this.logger.error(
      { err: exception, reqId: (req as { id?: unknown }).id },
      exception instanceof Error ? exception.message : 'Unexpected non-error exception',
    );
    return {
      status: 500,
      code: 'internal_error',
      message: 'Something went wrong on our side. It has been logged; please try again in a moment.',
    };
  }

  private viewFor(code: string, req: Request): { name: string; layout: string | false } {
    if (wantsFragment(req)) return { name: 'errors/_alert', layout: false };
    if (code === 'unknown_clinic') return { name: 'errors/unknown-clinic', layout: 'layouts/public' };
    if (code === 'clinic_suspended') return { name: 'errors/suspended', layout: 'layouts/public' };
    return { name: 'errors/error', layout: req.clinic ? 'layouts/clinic' : 'layouts/public' };
  }
}
