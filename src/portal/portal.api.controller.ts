import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { DoctorDayQueryDto, DoctorSlotDto } from '../appointments/dto/appointment.dto';
import { PortalCancelDto, PortalPageQueryDto } from './dto/portal.dto';
import { PortalService } from './portal.service';

/** The portal's API for patient tokens: the same rules and errors as its pages. Dates and times are the clinic's local ones. */
@ApiTags('portal')
@ApiBearerAuth()
@Controller('api/v1/portal')
@Roles('patient')
export class PortalApiController {
  constructor(private readonly portal: PortalService) {}

  /** Upcoming appointments, and past ones newest first, 20 a page. */
  @Get('appointments')
  @ApiOperation({ summary: 'My upcoming appointments, and past ones newest first, 20 a page' })
  @ApiRefusals({ 409: 'No patient file is linked to this portal account yet (`no_patient_file`).' })
  async list(@Query() query: PortalPageQueryDto, @CurrentUser() patient: Principal) {
    const { upcoming, past, hasMorePast } = await this.portal.appointmentsOf(patient, query.page);
    return { upcoming, past, hasMorePast };
  }

  @Post('appointments')
  @ApiOperation({ summary: 'Books one of the bookable times, within the clinic\'s online booking rules' })
  @ApiRefusals({
    404: 'No such doctor (`doctor_not_found`).',
    409: 'The time was taken meanwhile (`slot_taken`, with the nearest free times), or no patient file is linked to this account (`no_patient_file`).',
  })
  book(@Body() body: DoctorSlotDto, @CurrentUser() patient: Principal, @Req() req: Request) {
    return this.portal.book(patient, body, req.ip);
  }

  @Get('appointments/:id')
  @ApiOperation({ summary: 'One of my appointments' })
  @ApiRefusals({ 409: 'No patient file is linked to this portal account yet (`no_patient_file`).' })
  get(@Param('id') id: string, @CurrentUser() patient: Principal) {
    return this.portal.appointment(patient, id);
  }

  @Post('appointments/:id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancels one of my scheduled appointments, until the clinic\'s cut-off before it starts' })
  @ApiRefusals({ 409: 'Past the cut-off (`cancel_cutoff`) or not scheduled (`cancel_refused`); the message gives the clinic\'s phone.' })
  cancel(@Param('id') id: string, @Body() body: PortalCancelDto, @CurrentUser() patient: Principal, @Req() req: Request) {
    return this.portal.cancel(patient, id, body.reason, req.ip);
  }

  /** The appointment and, once completed, its record: diagnosis, prescriptions, requirements, invoice. */
  @Get('visits/:id')
  @ApiOperation({ summary: 'One of my appointments and, once completed, its record: diagnosis, prescription, requirements, invoice' })
  @ApiRefusals({ 409: 'No patient file is linked to this portal account yet (`no_patient_file`).' })
  visit(@Param('id') id: string, @CurrentUser() patient: Principal) {
    return this.portal.visit(patient, id);
  }

  /** The online booking rules as they stand for this patient: whether they may book, and the first and last bookable days. */
  @Get('booking')
  @ApiOperation({ summary: 'The online booking rules as they stand for me: whether I may book, the first and last bookable days' })
  @ApiRefusals({ 409: 'No patient file is linked to this portal account yet (`no_patient_file`).' })
  terms(@CurrentUser() patient: Principal) {
    return this.portal.bookingTerms(patient);
  }

  @Get('doctors')
  @ApiOperation({ summary: 'The doctors I can book with' })
  async doctors() {
    return { doctors: await this.portal.doctors() };
  }

  /** The times this patient may book with the doctor on a day (free, far enough ahead, within the window). */
  @Get('doctors/:id/slots')
  @ApiOperation({ summary: 'The times I may book with the doctor on a day (the first bookable day by default)' })
  @ApiRefusals({ 409: 'No patient file is linked to this portal account yet (`no_patient_file`).' })
  async slots(@Param('id') id: string, @Query() query: DoctorDayQueryDto, @CurrentUser() patient: Principal) {
    const terms = await this.portal.bookingTerms(patient);
    const date = query.date ?? terms.firstDay;
    const day = await this.portal.slots(id, date);
    return { ...day, slots: day.slots.map((s) => ({ time: s.time, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString() })) };
  }
}
