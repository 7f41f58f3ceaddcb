import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import type { Doctor, Leave } from './doctor';
import { PatchDoctorDto } from './dto/doctor-terms.dto';
import { WeekHoursDto } from './dto/hours.dto';
import { LeaveDto } from './dto/leave.dto';
import { DoctorsService } from './doctors.service';

/**
 * Doctors' calendars for API clients (Bearer token). Everyone signed in reads them (patients book
 * online; they see active doctors only, and no leave reasons); only clinic owners change them.
 * Errors: `{ error: { code, message, fields? } }`. (`GET /api/v1/doctors/:id/slots` belongs to booking.)
 */
@Controller('api/v1/doctors')
@Roles('admin')
export class DoctorsApiController {
  constructor(private readonly doctors: DoctorsService) {}

  @Get()
  @Roles('admin', 'reception', 'doctor', 'patient')
  async list(@CurrentUser() viewer: Principal): Promise<{ doctors: Doctor[] }> {
    return { doctors: await this.doctors.list(viewer) };
  }

  @Get(':id')
  @Roles('admin', 'reception', 'doctor', 'patient')
  get(@Param('id') id: string, @CurrentUser() viewer: Principal): Promise<Doctor> {
    return this.doctors.get(viewer, id);
  }

  /** Any of specialty, consultationFee, slotMinutes. */
  @Patch(':id')
  update(@Param('id') id: string, @Body() input: PatchDoctorDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<Doctor> {
    return this.doctors.updateTerms(actor, id, input, req.ip);
  }

  /** Replaces the whole week: `{ hours: [{ weekday: 1-7, starts: "HH:MM", ends: "HH:MM" }] }`. */
  @Put(':id/hours')
  replaceHours(@Param('id') id: string, @Body() input: WeekHoursDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<Doctor> {
    return this.doctors.replaceHours(actor, id, input.hours, req.ip);
  }

  /** `{ startsOn, endsOn?, reason? }` → the new leave, and how many appointments are still booked inside it. */
  @Post(':id/leave')
  async addLeave(@Param('id') id: string, @Body() input: LeaveDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<Leave & { bookedAppointments: number }> {
    const { leave, bookedAppointments } = await this.doctors.addLeave(actor, id, input, req.ip);
    return { ...leave, bookedAppointments };
  }

  /** Removes a leave. */
  @Delete(':id/leave/:leaveId')
  @HttpCode(204)
  async removeLeave(@Param('id') id: string, @Param('leaveId') leaveId: string, @CurrentUser() actor: Principal, @Req() req: Request): Promise<void> {
    await this.doctors.removeLeave(actor, id, leaveId, req.ip);
  }
}
