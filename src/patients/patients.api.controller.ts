import { Body, Controller, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { CreatePatientDto } from './dto/create-patient.dto';
import { UpdatePatientDto } from './dto/update-patient.dto';
import type { Patient, PatientPage, PatientProfile } from './patient';
import { PATIENT_READERS, PATIENT_WRITERS } from './patient-rules';
import { PatientsService } from './patients.service';

/**
 * The clinic's patient files for API clients (Bearer token): the same rules and refusals as the
 * pages. Errors: `{ error: { code, message, fields? } }`.
 */
@Controller('api/v1/patients')
export class PatientsApiController {
  constructor(private readonly patients: PatientsService) {}

  /** `?q=` searches by name, phone or file number; `?page=` from 1, 20 to a page. */
  @Get()
  @Roles(...PATIENT_READERS)
  list(@Query('q') q: unknown, @Query('page') page: unknown): Promise<PatientPage> {
    return this.patients.search(q, page);
  }

  /** 201 with the new file; 409 `possible_duplicate` (ids in `fields.existingPatientIds`) unless `confirmDuplicate` is true. */
  @Post()
  @Roles(...PATIENT_WRITERS)
  async create(@Body() input: CreatePatientDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<Patient> {
    return (await this.patients.create(actor, input, req.ip)).patient;
  }

  /** The file, the age and the appointments. */
  @Get(':id')
  @Roles(...PATIENT_READERS)
  get(@Param('id') id: string): Promise<PatientProfile> {
    return this.patients.profile(id);
  }

  /** Only the fields sent change; an optional field sent as null or "" is cleared. */
  @Patch(':id')
  @Roles(...PATIENT_WRITERS)
  async update(@Param('id') id: string, @Body() input: UpdatePatientDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<Patient> {
    return (await this.patients.update(actor, id, input, req.ip)).patient;
  }
}
