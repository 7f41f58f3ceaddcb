import { Body, Controller, Get, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { t } from '../i18n/i18n';
import { rememberLanguage } from '../i18n/request-language';
import { Public, RendersForm, Roles } from './access.decorator';
import { AuthService, type SignedIn } from './auth.service';
import { cookieNames, cookieOptions } from './cookies';
import { PatientSignInFormDto, StaffSignInFormDto } from './dto/sign-in.dto';
import { CurrentUser } from './current-user.decorator';
import { type Principal, ROLE_HOME } from './principal';
import { safeNext } from './safe-redirect';
import { SignInThrottlerGuard } from './sign-in-throttler.guard';

const STAFF_FORM = { view: 'auth/login', layout: 'layouts/clinic', secretFields: ['password'] } as const;
const PATIENT_FORM = { view: 'auth/patient-login', layout: 'layouts/clinic' } as const;

/** The sign-in pages of a clinic's host and signing out. */
@Controller()
export class AuthController {
  private readonly cookie: { name: string; options: CookieOptions; clearOptions: CookieOptions };

  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const base = cookieOptions(config);
    this.cookie = { name: cookieNames(config).session, options: { ...base, maxAge: config.sessionMaxSeconds * 1000 }, clearOptions: base };
  }

  @Get('login')
  @Public()
  staffForm(@Query('next') next: unknown, @Req() req: Request, @Res() res: Response): void {
    if (req.user) return res.redirect(303, ROLE_HOME[req.user.role]);
    res.render(STAFF_FORM.view, { title: t('auth:staff.title'), next: typeof next === 'string' ? next : '', layout: STAFF_FORM.layout });
  }

  @Post('login')
  @Public()
  @UseGuards(SignInThrottlerGuard)
  @RendersForm(STAFF_FORM)
  async staffSignIn(@Body() form: StaffSignInFormDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.enter(res, await this.auth.signInStaff(form.username, form.password, req.ip), form.next);
  }

  @Get('portal/login')
  @Public()
  patientForm(@Query('next') next: unknown, @Req() req: Request, @Res() res: Response): void {
    if (req.user) return res.redirect(303, ROLE_HOME[req.user.role]);
    res.render(PATIENT_FORM.view, { title: t('auth:patient.title'), next: typeof next === 'string' ? next : '', layout: PATIENT_FORM.layout });
  }

  @Post('portal/login')
  @Public()
  @UseGuards(SignInThrottlerGuard)
  @RendersForm(PATIENT_FORM)
  async patientSignIn(@Body() form: PatientSignInFormDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    this.enter(res, await this.auth.signInPatient(form.phone, form.username, req.ip), form.next);
  }

  @Post('logout')
  @Roles('admin', 'doctor', 'reception', 'patient')
  async signOut(@CurrentUser() principal: Principal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.auth.signOut(principal, req.ip);
    res.clearCookie(this.cookie.name, this.cookie.clearOptions);
    res.redirect(303, principal.role === 'patient' ? '/portal/login' : '/login');
  }

  /** The session cookie, and the person's own language (if they chose one) becomes this browser's. */
  private enter(res: Response, session: SignedIn, next: string | undefined): void {
    res.cookie(this.cookie.name, session.accessToken, this.cookie.options);
    if (session.language) rememberLanguage(res, session.language, this.cookie.clearOptions);
    res.redirect(303, safeNext(next, session.role));
  }
}
