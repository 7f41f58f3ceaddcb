import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../auth/access.decorator';
import { cookieOptions } from '../auth/cookies';
import { localUrl } from '../auth/safe-redirect';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ServesHost } from '../tenancy/host-kind.decorator';
import { isLanguage } from './i18n';
import { LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE_MS } from './request-language';

/**
 * The language switch: `/language/ar?back=/board` remembers the choice in this browser (a cookie of
 * this host only, like the session) and returns to the page it was made on. A plain link, so it works
 * without JavaScript and from the keyboard; it changes nothing but how pages read.
 */
@Controller('language')
export class LanguageController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get(':code')
  @ServesHost('any')
  @Public()
  choose(@Param('code') code: string, @Query('back') back: unknown, @Res() res: Response): void {
    if (!isLanguage(code)) throw new NotFoundException();
    res.cookie(LANGUAGE_COOKIE, code, { ...cookieOptions(this.config), maxAge: LANGUAGE_COOKIE_MAX_AGE_MS });
    const url = localUrl(back);
    res.redirect(303, url && !url.pathname.startsWith('/language/') ? `${url.pathname}${url.search}` : '/');
  }
}
