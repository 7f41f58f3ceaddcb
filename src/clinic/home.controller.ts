import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Public } from '../auth/access.decorator';
import { ROLE_HOME } from '../auth/principal';
import { LandingService } from '../platform/landing.service';
import { ServesHost } from '../tenancy/host-kind.decorator';
import { ClinicService } from './clinic.service';
import { FindClinicDto } from './dto/find-clinic.dto';

/** `/` is the clinic's front page on a clinic's host and the platform's landing page on the root host. */
@Controller()
export class HomeController {
  constructor(
    private readonly clinics: ClinicService,
    private readonly landing: LandingService,
  ) {}

  @Get()
  @ServesHost('any')
  @Public()
  async home(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (req.user) return res.redirect(303, ROLE_HOME[req.user.role]);
    if (req.clinic) return res.render('clinic/home', await this.clinics.homePage());
    res.render('platform/landing', this.landing.page());
  }

  @Get('find')
  @ServesHost('root')
  async find(@Query() query: FindClinicDto, @Req() req: Request, @Res() res: Response): Promise<void> {
    const url = await this.landing.findClinic(query.clinic, req.get('host')?.split(':')[1] ?? '');
    if (url) return res.redirect(303, url);
    res.status(404).render('platform/landing', this.landing.page(query.clinic, true));
  }
}
