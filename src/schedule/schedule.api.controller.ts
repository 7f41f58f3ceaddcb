import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { LOCAL_DATE } from '../common/openapi/formats';
import { type DoctorQueue, type PatientHistory, ScheduleService } from './schedule.service';

/** The doctor's queue and a patient's visit history for API clients (Bearer token). */
@ApiTags('schedule')
@ApiBearerAuth()
@Controller('api/v1')
export class ScheduleApiController {
  constructor(private readonly schedule: ScheduleService) {}

  /** The signed-in doctor's appointments on `?date=YYYY-MM-DD` (the clinic's today by default). */
  @Get('schedule')
  @Roles('doctor')
  @ApiOperation({ summary: "The signed-in doctor's appointments on a day (the clinic's today by default)" })
  @ApiQuery({ name: 'date', required: false, schema: { type: 'string', format: LOCAL_DATE.format, example: LOCAL_DATE.example }, description: "The clinic-local day; left out: the clinic's today." })
  queue(@CurrentUser() actor: Principal, @Query('date') date: unknown): Promise<DoctorQueue> {
    return this.schedule.queue(actor, date);
  }

  /** The patient's completed visits, newest first, 10 to a `?page=`; the look is audited. */
  @Get('patients/:id/history')
  @Roles('doctor', 'admin')
  @ApiOperation({ summary: "A patient's completed visits, newest first, 10 a page; the look is audited" })
  @ApiQuery({ name: 'page', required: false, schema: { type: 'integer', minimum: 1, default: 1 }, description: 'The page, 10 visits to a page.' })
  history(@CurrentUser() actor: Principal, @Param('id') id: string, @Query('page') page: unknown, @Req() req: Request): Promise<PatientHistory> {
    return this.schedule.history(actor, id, page, req.ip);
  }
}
