import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
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
@ApiTags('doctors')
@ApiBearerAuth()
@Controller('api/v1/doctors')
@Roles('admin')
export class DoctorsApiController {
  constructor(private readonly doctors: DoctorsService) {}

  @Get()
  @Roles('admin', 'reception', 'doctor', 'patient')
  @ApiOperation({ summary: "The clinic's doctors with their terms, hours and leave (patients: active doctors, no leave reasons)" })
  async list(@CurrentUser() viewer: Principal): Promise<{ doctors: Doctor[] }> {
    return { doctors: await this.doctors.list(viewer) };
  }

  @Get(':id')
  @Roles('admin', 'reception', 'doctor', 'patient')
  @ApiOperation({ summary: 'One doctor with terms, weekly hours and leave' })
  get(@Param('id') id: string, @CurrentUser() viewer: Principal): Promise<Doctor> {
    return this.doctors.get(viewer, id);
  }

  /** Any of specialty, consultationFee, slotMinutes. */
  @Patch(':id')
  @ApiOperation({ summary: "Changes a doctor's terms: any of specialty, consultation fee, slot length" })
  update(@Param('id') id: string, @Body() input: PatchDoctorDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<Doctor> {
    return this.doctors.updateTerms(actor, id, input, req.ip);
  }

  /** Replaces the whole week: `{ hours: [{ weekday: 1-7, starts: "HH:MM", ends: "HH:MM" }] }`. */
  @Put(':id/hours')
  @ApiOperation({ summary: "Replaces the doctor's whole week of working hours" })
  @ApiRefusals({ 409: 'Two ranges of one day overlap (`hours_overlap`).' })
  replaceHours(@Param('id') id: string, @Body() input: WeekHoursDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<Doctor> {
    return this.doctors.replaceHours(actor, id, input.hours, req.ip);
  }

  /** `{ startsOn, endsOn?, reason? }` → the new leave, and how many appointments are still booked inside it. */
  @Post(':id/leave')
  @ApiOperation({ summary: 'Adds a leave; answers how many appointments are still booked inside it' })
  @ApiRefusals({ 409: 'It overlaps a leave the doctor already has (`leave_overlaps`).' })
  async addLeave(@Param('id') id: string, @Body() input: LeaveDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<Leave & { bookedAppointments: number }> {
    const { leave, bookedAppointments } = await this.doctors.addLeave(actor, id, input, req.ip);
    return { ...leave, bookedAppointments };
  }

  /** Removes a leave. */
  @Delete(':id/leave/:leaveId')
  @ApiOperation({ summary: 'Removes a leave' })
  @HttpCode(204)
  async removeLeave(@Param('id') id: string, @Param('leaveId') leaveId: string, @CurrentUser() actor: Principal, @Req() req: Request): Promise<void> {
    await this.doctors.removeLeave(actor, id, leaveId, req.ip);
  }
}
