import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CsrfService } from '../auth/csrf.service';
import { ROLE_LABEL } from '../auth/principal';
import { navigationFor } from './navigation';

/**
 * What every clinic page and its layout read: the clinic, the CSRF token, who is signed in and their
 * navigation. Filled once per request, by the interceptor for pages and by the exception filter for
 * error pages and re-rendered forms.
 */
@Injectable()
export class PageLocals {
  constructor(private readonly csrf: CsrfService) {}

  fill(req: Request, res: Response): void {
    if (res.locals.pageLocalsReady || !req.clinic) return;
    res.locals.pageLocalsReady = true;
    res.locals.clinic = { displayName: req.clinic.displayName, slug: req.clinic.slug };
    res.locals.csrfToken = this.csrf.token(req, res);
    const user = req.user;
    if (!user) return;
    res.locals.principal = { fullName: user.fullName, username: user.username, role: user.role };
    res.locals.roleLabel = ROLE_LABEL[user.role];
    res.locals.nav = navigationFor(user.role, req.path);
  }

  /** The layout for a signed-in person's pages. */
  static layoutFor(req: Request): string {
    if (!req.user) return 'layouts/clinic';
    return req.user.role === 'patient' ? 'layouts/portal' : 'layouts/staff';
  }
}
