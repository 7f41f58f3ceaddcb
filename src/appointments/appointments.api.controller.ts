import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { AppointmentsService } from './appointments.service';
import { BookAppointmentDto, ChangeStatusDto, DayQueryDto, MoveAppointmentDto } from './dto/appointment.dto';

/** The front desk's booking API: the same rules and errors as the pages. Dates and times are the clinic's local ones. */
@ApiTags('appointments')
@ApiBearerAuth()
@Controller('api/v1')
@Roles('admin', 'reception')
export class AppointmentsApiController {
  constructor(private readonly appointments: AppointmentsService) {}

  @Get('appointments')
  @ApiOperation({ summary: "A day's appointments (the clinic's today by default), optionally of one doctor or status" })
  async list(@Query() query: DayQueryDto) {
    const date = query.date ?? this.appointments.today();
    return { date, appointments: await this.appointments.day(date, { doctorId: query.doctorId, status: query.status }) };
  }

  @Post('appointments')
  @ApiOperation({ summary: 'Books a patient with a doctor at one of that day\'s slot times' })
  @ApiRefusals({
    404: 'No such patient (`patient_not_found`) or doctor (`doctor_not_found`) in this clinic.',
    409: 'The time was taken meanwhile (`slot_taken`); the message names the nearest free times.',
  })
  book(@Body() body: BookAppointmentDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.appointments.book(actor, body, req.ip);
  }

  @Get('appointments/:id')
  @ApiOperation({ summary: 'One appointment' })
  get(@Param('id') id: string) {
    return this.appointments.get(id);
  }

  @Post('appointments/:id/reschedule')
  @HttpCode(200)
  @ApiOperation({ summary: 'Moves a scheduled appointment to another time (and optionally another doctor)' })
  @ApiRefusals({ 409: 'The new time is taken (`slot_taken`), or the appointment is no longer scheduled (`invalid_transition`).' })
  reschedule(@Param('id') id: string, @Body() body: MoveAppointmentDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.appointments.reschedule(actor, id, body, req.ip);
  }

  @Post('appointments/:id/status')
  @HttpCode(200)
  @ApiOperation({ summary: 'Checks in, cancels (with a reason) or marks a no-show' })
  @ApiRefusals({ 409: 'Not a move the lifecycle allows from the current status (`invalid_transition`).' })
  changeStatus(@Param('id') id: string, @Body() body: ChangeStatusDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.appointments.changeStatus(actor, id, body.status, body.reason, req.ip);
  }

  /** The doctor's appointment times on a day, each free or not. */
  @Get('doctors/:id/slots')
  @ApiTags('doctors')
  @ApiOperation({ summary: "The doctor's appointment times on a day, each free or not" })
  @Roles('admin', 'reception', 'doctor', 'patient')
  async slots(@Param('id') id: string, @Query() query: DayQueryDto) {
    const date = query.date ?? this.appointments.today();
    const { doctor, day } = await this.appointments.slots(id, date);
    return {
      doctor: { id: doctor.id, fullName: doctor.fullName, slotMinutes: doctor.slotMinutes, fee: doctor.fee },
      date,
      onLeave: day.onLeave,
      slots: day.slots.map((s) => ({ time: s.time, startsAt: s.startsAt.toISOString(), endsAt: s.endsAt.toISOString(), free: s.free })),
    };
  }
}
