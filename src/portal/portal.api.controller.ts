import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { DoctorDayQueryDto, DoctorSlotDto } from '../appointments/dto/appointment.dto';
import { PortalCancelDto, PortalPageQueryDto } from './dto/portal.dto';
import { PortalService } from './portal.service';

/** The portal's API for patient tokens: the same rules and errors as its pages. Dates and times are the clinic's local ones. */
@Controller('api/v1/portal')
@Roles('patient')
export class PortalApiController {
  constructor(private readonly portal: PortalService) {}

  /** Upcoming appointments, and past ones newest first, 20 a page. */
  @Get('appointments')
  async list(@Query() query: PortalPageQueryDto, @CurrentUser() patient: Principal) {
    const { upcoming, past, hasMorePast } = await this.portal.appointmentsOf(patient, query.page);
    return { upcoming, past, hasMorePast };
  }

  @Post('appointments')
  book(@Body() body: DoctorSlotDto, @CurrentUser() patient: Principal, @Req() req: Request) {
    return this.portal.book(patient, body, req.ip);
  }

  @Get('appointments/:id')
  get(@Param('id') id: string, @CurrentUser() patient: Principal) {
    return this.portal.appointment(patient, id);
  }

  @Post('appointments/:id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string, @Body() body: PortalCancelDto, @CurrentUser() patient: Principal, @Req() req: Request) {
    return this.portal.cancel(patient, id, body.reason, req.ip);
  }

  /** The appointment and, once completed, its record: diagnosis, prescriptions, requirements, invoice. */
  @Get('visits/:id')
  visit(@Param('id') id: string, @CurrentUser() patient: Principal) {
    return this.portal.visit(patient, id);
  }

  /** The online booking rules as they stand for this patient: whether they may book, and the first and last bookable days. */
  @Get('booking')
  terms(@CurrentUser() patient: Principal) {
    return this.portal.bookingTerms(patient);
  }

  @Get('doctors')
  async doctors() {
    return { doctors: await this.portal.doctors() };
  }

  /** The times this patient may book with the doctor on a day (free, far enough ahead, within the window). */
  @Get('doctors/:id/slots')
  async slots(@Param('id') id: string, @Query() query: DoctorDayQueryDto, @CurrentUser() patient: Principal) {
    const terms = await this.portal.bookingTerms(patient);
    const date = query.date ?? terms.firstDay;
    const day = await this.portal.slots(id, date);
    return { ...day, slots: day.slots.map((s) => ({ time: s.time, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() })) };
  }
}
