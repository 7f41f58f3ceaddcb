import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CsrfService } from '../auth/csrf.service';
import { roleLabel } from '../auth/principal';
import { navigationFor } from './navigation';

/**
 * What every clinic page and its layout read: the clinic, the CSRF token, who is signed in and their
 * navigation. Filled once per request, by the interceptor for pages and by the exception filter for
 * error pages and re-rendered forms.
 */
@Injectable()
export class PageLocals {
  constructor(private readonly csrf: CsrfService) {}

  /**
   * `csrf: false` leaves the CSRF cookie alone: an error page for a request that never reached the
   * access guard (an unknown path, say a browser's /favicon.ico) has no principal, and minting an
   * anonymous token there would replace the signed-in session's token and fail its next form.
   */
  fill(req: Request, res: Response, options: { csrf?: boolean } = {}): void {
    if (res.locals.pageLocalsReady || !req.clinic) return;
    res.locals.pageLocalsReady = true;
    res.locals.clinic = { displayName: req.clinic.displayName, slug: req.clinic.slug, currency: req.clinic.currency };
    if (options.csrf ?? true) res.locals.csrfToken = this.csrf.token(req, res);
    const user = req.user;
    if (!user) return;
    res.locals.principal = { fullName: user.fullName, username: user.username, role: user.role };
    res.locals.roleLabel = roleLabel(user.role);
    res.locals.nav = navigationFor(user.role, req.path);
  }

  /** The layout for a signed-in person's pages. */
  static layoutFor(req: Request): string {
    if (!req.user) return 'layouts/clinic';
    return req.user.role === 'patient' ? 'layouts/portal' : 'layouts/staff';
  }
}
