import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { ReportQueryDto } from '../reports/dto/report-query.dto';
import { ReverseNoShowDto, WaivePenaltyDto } from './dto/no-shows.dto';
import { NoShowsService } from './no-shows.service';

/** The same rules for API clients: a patient's penalties, settling them, undoing a no-show, the report. */
@Controller('api/v1')
export class NoShowsApiController {
  constructor(private readonly noShows: NoShowsService) {}

  @Get('patients/:id/penalties')
  @Roles('admin', 'reception')
  async penalties(@Param('id') id: string) {
    return { penalties: await this.noShows.penaltiesOf(id) };
  }

  @Post('penalties/:id/pay')
  @HttpCode(200)
  @Roles('admin', 'reception')
  pay(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.noShows.pay(actor, id, req.ip);
  }

  @Post('penalties/:id/waive')
  @HttpCode(200)
  @Roles('admin')
  waive(@Param('id') id: string, @Body() body: WaivePenaltyDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.noShows.waive(actor, id, body.reason, req.ip);
  }

  @Post('appointments/:id/reverse-no-show')
  @HttpCode(200)
  @Roles('admin')
  reverse(@Param('id') id: string, @Body() body: ReverseNoShowDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.noShows.reverse(actor, id, body.reason, req.ip);
  }

  @Get('reports/no-shows')
  @Roles('admin')
  async report(@Query() query: ReportQueryDto) {
    const { filter, totals, noShowRate, doctors, patients, outstanding, unpaid } = await this.noShows.metrics(query);
    return { period: filter, totals: { ...totals, noShowRate }, doctors, patients, outstanding, unpaid };
  }
}
