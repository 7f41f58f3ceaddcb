import { Body, Controller, Get, Inject, NotFoundException, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public, Roles } from '../auth/access.decorator';
import { cookieOptions } from '../auth/cookies';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { localUrl } from '../auth/safe-redirect';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ServesHost } from '../tenancy/host-kind.decorator';
import { UsersRepository } from '../users/users.repository';
import { ChooseLanguageDto } from './dto/choose-language.dto';
import { isLanguage, type Language } from './i18n';
import { rememberLanguage } from './request-language';

/**
 * The language switch at the top of every page.
 * - Signed out: a plain link, `/language/ar?back=/login`, remembered in this browser (a cookie of
 *   this host only, like the session). It works without JavaScript, and changes nothing but how this
 *   browser's pages read.
 * - Signed in: a form (POST, CSRF-checked like every form) that also keeps the choice on the person's
 *   account, so it follows them to any device they sign in on.
 * Both come back to the page the switch was used on (a path on this host only).
 */
@Controller('language')
export class LanguageController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
  ) {}

  @Get(':code')
  @ServesHost('any')
  @Public()
  choose(@Param('code') code: string, @Query('back') back: unknown, @Res() res: Response): void {
    if (!isLanguage(code)) throw new NotFoundException();
    this.switchTo(res, code, back);
  }

  @Post()
  @Roles('admin', 'doctor', 'reception', 'patient')
  async keep(@CurrentUser() user: Principal, @Body() form: ChooseLanguageDto, @Res() res: Response): Promise<void> {
    await this.users.setLanguage(user.userId, form.language);
    this.switchTo(res, form.language, form.back);
  }

  private switchTo(res: Response, language: Language, back: unknown): void {
    rememberLanguage(res, language, cookieOptions(this.config));
    const url = localUrl(back);
    res.redirect(303, url && !url.pathname.startsWith('/language') ? `${url.pathname}${url.search}` : '/');
  }
}
