import { Controller, Get, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { type DoctorQueue, type PatientHistory, ScheduleService } from './schedule.service';

/** The doctor's queue and a patient's visit history for API clients (Bearer token). */
@Controller('api/v1')
export class ScheduleApiController {
  constructor(private readonly schedule: ScheduleService) {}

  /** The signed-in doctor's appointments on `?date=YYYY-MM-DD` (the clinic's today by default). */
  @Get('schedule')
  @Roles('doctor')
  queue(@CurrentUser() actor: Principal, @Query('date') date: unknown): Promise<DoctorQueue> {
    return this.schedule.queue(actor, date);
  }

  /** The patient's completed visits, newest first, 10 to a `?page=`; the look is audited. */
  @Get('patients/:id/history')
  @Roles('doctor', 'admin')
  history(@CurrentUser() actor: Principal, @Param('id') id: string, @Query('page') page: unknown, @Req() req: Request): Promise<PatientHistory> {
    return this.schedule.history(actor, id, page, req.ip);
  }
}
