import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RendersForm, Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { redirectAfterWrite, renderPage } from '../common/http/render';
import { ClinicSettingsDto } from './dto/settings.dto';
import { SettingsPages } from './settings-pages.service';
import { SettingsService } from './settings.service';

const SETTINGS_FORM = { view: 'settings/show', layout: 'layouts/staff', fragment: 'settings/_form', model: SettingsPages } as const;

/** The owner's clinic settings: the phone and address patients see, and the portal's booking rules. */
@Controller('admin/settings')
@Roles('admin')
export class SettingsController {
  constructor(
    private readonly pages: SettingsPages,
    private readonly settings: SettingsService,
  ) {}

  @Get()
  async show(@Query('saved') saved: unknown, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'settings/show', 'settings/_form', await this.pages.page(saved === '1'));
  }

  @Post()
  @RendersForm(SETTINGS_FORM)
  async update(@Body() input: ClinicSettingsDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.settings.update(actor, input, req.ip);
    redirectAfterWrite(req, res, '/admin/settings?saved=1');
  }
}
