import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { FormView } from '../../auth/access.decorator';
import { AuthException } from '../../auth/auth.exception';
import { cookieNames, cookieOptions } from '../../auth/cookies';
import { ROLE_HOME } from '../../auth/principal';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { PageLocals } from '../../navigation/page-locals.service';
import { TenantTransaction } from '../../tenancy/tenant-transaction.service';
import { isApiRequest, wantsFragment } from '../http/htmx';
import { t } from '../../i18n/i18n';
import { AppException } from './app-exception';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  415: 'unsupported_media_type',
  409: 'conflict',
  413: 'payload_too_large',
  422: 'validation_failed',
  423: 'locked',
  429: 'too_many_requests',
  503: 'unavailable',
};

/** The error page's heading per status: `common:errors.title.<status>` (500 for any other). */
const TITLED_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 409, 422, 423, 429, 503, 500]);
const titleFor = (status: number): string => t(`common:errors.title.${TITLED_STATUSES.has(status) ? status : 500}`);

interface ErrorBody {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string[]>;
}

/**
 * Every error, one way: JSON `{ error: { code, message, fields } }` for the API, an alert fragment
 * for HTMX, a friendly page otherwise. A refused form is shown again with its message and the values
 * entered (never its secrets); a page that needs a signed-in person sends them to the sign-in form.
 * Never a stack trace; the unexpected is logged as a 500.
 */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Error');
  private readonly sessionCookie: { name: string; options: ReturnType<typeof cookieOptions> };

  constructor(
    private readonly pageLocals: PageLocals,
    private readonly moduleRef: ModuleRef,
    private readonly transaction: TenantTransaction,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.sessionCookie = { name: cookieNames(config).session, options: cookieOptions(config) };
  }

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
    res.vary('HX-Request');
    const form = res.locals.formView as FormView | undefined;
    if (exception instanceof AuthException && exception.needsSignIn && exception.code !== 'invalid_credentials') {
      // no live session (a wrong password is the sign-in form's own business): drop the dead cookie, go sign in
      if (req.cookies?.[this.sessionCookie.name]) res.clearCookie(this.sessionCookie.name, this.sessionCookie.options);
      return this.sendToSignIn(req, res);
    }
    // a token only where a form is shown again or a signed-in layout (with its sign-out form) is drawn
    if (req.clinic) this.pageLocals.fill(req, res, { csrf: Boolean(form) || Boolean(req.user) });
    if (form) return void this.renderForm(form, body, req, res, exception);
    const view = this.viewFor(body.code, req);
    if (view.layout === false) {
      // an HTMX request that is not a form re-render: the alert goes to the layout's alert area, not into the target
      res.set({ 'HX-Retarget': '#alerts', 'HX-Reswap': 'innerHTML' });
    }
    this.render(res, view.name, {
      ...body,
      title: titleFor(body.status),
      clinic: req.clinic,
      home: req.user ? ROLE_HOME[req.user.role] : '/',
      layout: view.layout,
    });
  }

  /** Back to the form: the message on top, per-field messages beside the fields, what was typed kept (secrets excepted). */
  private async renderForm(form: FormView, body: ErrorBody, req: Request, res: Response, refusal: unknown): Promise<void> {
    const values: Record<string, unknown> = { ...(req.body as Record<string, unknown> | undefined) };
    for (const secret of form.secretFields ?? []) delete values[secret];
    delete values._csrf;
    const fragment = wantsFragment(req);
    const model = await this.formModel(form, req, refusal);
    this.render(res, fragment ? (form.fragment ?? form.view) : form.view, {
      ...model,
      title: titleFor(body.status),
      error: body.message,
      code: body.code,
      fields: body.fields ?? {},
      values,
      next: typeof values.next === 'string' ? values.next : '',
      layout: fragment ? false : form.layout,
    });
  }

  /** The form's own page model, read in a new transaction (the request's has ended); without it the form still shows. */
  private async formModel(form: FormView, req: Request, refusal: unknown): Promise<Record<string, unknown>> {
    if (!form.model || !req.clinic) return {};
    try {
      const provider = this.moduleRef.get(form.model, { strict: false });
      return await this.transaction.run(req.clinic, () => provider.formModel(req, refusal));
    } catch (error) {
      this.logger.error(`Could not rebuild the form ${form.view}: ${error instanceof Error ? error.message : String(error)}`);
      return {};
    }
  }

  /** 303 to the right sign-in form, coming back here afterwards; HTMX is told to load it as a whole page. */
  private sendToSignIn(req: Request, res: Response): void {
    const path = req.originalUrl.split('?')[0];
    const form = path === '/portal' || path.startsWith('/portal/') ? '/portal/login' : '/login';
    const back = req.method === 'GET' ? req.originalUrl : currentPagePath(req);
    const target = back && back !== '/' ? `${form}?next=${encodeURIComponent(back)}` : form;
    if (req.get('HX-Request') === 'true') {
      res.set('HX-Redirect', target).end();
      return;
    }
    res.redirect(303, target);
  }

  private render(res: Response, view: string, model: Record<string, unknown>): void {
    res.render(view, model, (err, html) => {
      if (err) {
        this.logger.error(`Could not render ${view}: ${err.message}`);
        res.type('text/plain').send(String(model.message ?? model.error ?? titleFor(500)));
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
      return { status, code: CODE_BY_STATUS[status] ?? 'error', message: status === 404 ? t('common:errors.noPage') : message };
    }
    const clientError = httpClientError(exception);
    if (clientError) return clientError;
    this.logger.error(
      { err: exception, reqId: (req as { id?: unknown }).id },
      exception instanceof Error ? exception.message : 'Unexpected non-error exception',
    );
    return {
      status: 500,
      code: 'internal_error',
      message: t('common:errors.internal'),
    };
  }

  private viewFor(code: string, req: Request): { name: string; layout: string | false } {
    if (wantsFragment(req)) return { name: 'errors/_alert', layout: false };
    if (code === 'unknown_clinic') return { name: 'errors/unknown-clinic', layout: 'layouts/public' };
    if (code === 'clinic_suspended') return { name: 'errors/suspended', layout: 'layouts/public' };
    return { name: 'errors/error', layout: req.clinic ? PageLocals.layoutFor(req) : 'layouts/public' };
  }
}

/** The page an HTMX request came from (its path only), to return there after signing in. */
function currentPagePath(req: Request): string {
  try {
    return new URL(req.get('HX-Current-URL') ?? '').pathname;
  } catch {
    return '';
  }
}

/**
 * Errors raised by Express middleware before Nest (body-parser's http-errors: too large, bad
 * encoding) carry their own 4xx status and are safe to answer as such, with our own words.
 */
function httpClientError(exception: unknown): ErrorBody | undefined {
  const e = exception as { status?: unknown; statusCode?: unknown; expose?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (!status || status < 400 || status > 499 || e.expose !== true) return undefined;
  const message = t(status === 413 ? 'common:errors.tooLarge' : status === 415 ? 'common:errors.unsupportedMedia' : 'common:errors.badRequest');
  return { status, code: CODE_BY_STATUS[status] ?? 'bad_request', message };
}
