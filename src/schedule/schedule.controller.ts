import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { renderPage } from '../common/http/render';
import { SchedulePages } from './schedule-pages.service';

/**
 * The doctor's console: `/doctor` (the day's queue, refreshing itself), `/doctor/patients` (the
 * clinic's files with this doctor's next appointment and the last visit) and a patient's history.
 * Each screen is the full page, or its fragment for HTMX.
 */
@Controller('doctor')
@Roles('doctor')
export class ScheduleController {
  constructor(private readonly pages: SchedulePages) {}

  @Get()
  async queue(@CurrentUser() actor: Principal, @Query('date') date: unknown, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'schedule/index', 'schedule/_queue', await this.pages.queue(actor, date));
  }

  @Get('patients')
  async patients(@CurrentUser() actor: Principal, @Query('q') q: unknown, @Query('page') p: unknown, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'schedule/patients', 'schedule/_patients', await this.pages.patients(actor, q, p));
  }

  @Get('patients/:id')
  async history(@CurrentUser() actor: Principal, @Param('id') id: string, @Query('page') p: unknown, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'schedule/history', 'schedule/_history', await this.pages.history(actor, id, p, req.ip));
  }
}

