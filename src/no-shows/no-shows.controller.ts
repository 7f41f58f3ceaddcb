import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { redirectAfterWrite, renderPage } from '../common/http/render';
import { ReportQueryDto } from '../reports/dto/report-query.dto';
import { ReverseNoShowDto, WaivePenaltyDto } from './dto/no-shows.dto';
import { NoShowPages } from './no-show-pages.service';
import { NoShowsService } from './no-shows.service';

/**
 * No-shows for the clinic: the owner's report (/admin/no-shows), settling penalties (reception marks
 * one paid, the owner waives one with a reason) and undoing a mistaken no-show (the owner).
 */
@Controller()
export class NoShowsController {
  constructor(
    private readonly pages: NoShowPages,
    private readonly noShows: NoShowsService,
  ) {}

  @Get('admin/no-shows')
  @Roles('admin')
  async report(@Query() query: ReportQueryDto, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'no-shows/index', 'no-shows/_report', await this.pages.report(query));
  }

  @Post('penalties/:id/pay')
  @Roles('admin', 'reception')
  async pay(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    const penalty = await this.noShows.pay(actor, id, req.ip);
    redirectAfterWrite(req, res, `/patients/${penalty.patientId}#penalties`);
  }

  @Post('penalties/:id/waive')
  @Roles('admin')
  async waive(@Param('id') id: string, @Body() form: WaivePenaltyDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    const penalty = await this.noShows.waive(actor, id, form.reason, req.ip);
    redirectAfterWrite(req, res, `/patients/${penalty.patientId}#penalties`);
  }

  @Post('appointments/:id/reverse-no-show')
  @Roles('admin')
  async reverse(@Param('id') id: string, @Body() form: ReverseNoShowDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    const appointment = await this.noShows.reverse(actor, id, form.reason, req.ip);
    redirectAfterWrite(req, res, `/appointments/${appointment.id}`);
  }
}
