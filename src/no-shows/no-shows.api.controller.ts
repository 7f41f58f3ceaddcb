import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { ReportQueryDto } from '../reports/dto/report-query.dto';
import { ReverseNoShowDto, WaivePenaltyDto } from './dto/no-shows.dto';
import { NoShowsService } from './no-shows.service';

/** The same rules for API clients: a patient's penalties, settling them, undoing a no-show, the report. */
@ApiTags('no-shows')
@ApiBearerAuth()
@Controller('api/v1')
export class NoShowsApiController {
  constructor(private readonly noShows: NoShowsService) {}

  @Get('patients/:id/penalties')
  @Roles('admin', 'reception')
  @ApiOperation({ summary: "A patient's no-show penalties" })
  async penalties(@Param('id') id: string) {
    return { penalties: await this.noShows.penaltiesOf(id) };
  }

  @Post('penalties/:id/pay')
  @HttpCode(200)
  @Roles('admin', 'reception')
  @ApiOperation({ summary: 'Marks a penalty paid' })
  @ApiRefusals({ 409: 'It is already paid or waived (`invalid_transition`).' })
  pay(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.noShows.pay(actor, id, req.ip);
  }

  @Post('penalties/:id/waive')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Waives a penalty, with a reason (clinic owners)' })
  @ApiRefusals({ 409: 'It is already paid or waived (`invalid_transition`).' })
  waive(@Param('id') id: string, @Body() body: WaivePenaltyDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.noShows.waive(actor, id, body.reason, req.ip);
  }

  @Post('appointments/:id/reverse-no-show')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Undoes a mistaken no-show: the appointment becomes checked in, its unpaid penalty is waived (clinic owners)' })
  @ApiRefusals({ 409: 'The appointment is not a no-show (`invalid_transition`).' })
  reverse(@Param('id') id: string, @Body() body: ReverseNoShowDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.noShows.reverse(actor, id, body.reason, req.ip);
  }

  @Get('reports/no-shows')
  @Roles('admin')
  @ApiTags('reports')
  @ApiOperation({ summary: 'No-shows over a period: rates per doctor, the patients who missed most, unpaid penalties' })
  async report(@Query() query: ReportQueryDto) {
    const { filter, totals, noShowRate, doctors, patients, outstanding, unpaid } = await this.noShows.metrics(query);
    return { period: filter, totals: { ...totals, noShowRate }, doctors, patients, outstanding, unpaid };
  }
}
