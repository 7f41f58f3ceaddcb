import { Body, Controller, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { CreatePatientDto } from './dto/create-patient.dto';
import { UpdatePatientDto } from './dto/update-patient.dto';
import type { Patient, PatientPage, PatientProfile } from './patient';
import { PATIENT_EXPORTERS, type PatientExport } from './patient-export';
import { PatientExportService } from './patient-export.service';
import { PATIENT_READERS, PATIENT_WRITERS } from './patient-rules';
import { PatientsService } from './patients.service';

/**
 * The clinic's patient files for API clients (Bearer token): the same rules and refusals as the
 * pages. Errors: `{ error: { code, message, fields? } }`.
 */
@ApiTags('patients')
@ApiBearerAuth()
@Controller('api/v1/patients')
export class PatientsApiController {
  constructor(
    private readonly patients: PatientsService,
    private readonly exporter: PatientExportService,
  ) {}

  /** `?q=` searches by name, phone or file number; `?page=` from 1, 20 to a page. */
  @Get()
  @Roles(...PATIENT_READERS)
  @ApiOperation({ summary: 'Searches patient files by name, phone or file number, best matches first, 20 a page' })
  @ApiQuery({ name: 'q', required: false, schema: { type: 'string' }, description: 'Words of the name, a phone, or a file number (the first 100 characters count); left out: every file, by name.' })
  @ApiQuery({ name: 'page', required: false, schema: { type: 'integer', minimum: 1, default: 1 }, description: 'The page, 20 files to a page (anything else: the first).' })
  list(@Query('q') q: unknown, @Query('page') page: unknown): Promise<PatientPage> {
    return this.patients.search(q, page);
  }

  /** 201 with the new file; 409 `possible_duplicate` (ids in `fields.existingPatientIds`) unless `confirmDuplicate` is true. */
  @Post()
  @Roles(...PATIENT_WRITERS)
  @ApiOperation({ summary: 'Registers a patient file (and, with a phone and username, their portal identity)' })
  @ApiRefusals({
    409: 'A file with the same phone and date of birth exists (`possible_duplicate`, ids in `fields.existingPatientIds`; send `confirmDuplicate: true` to register anyway), or the username or national id is taken (`username_taken`, `national_id_taken`).',
  })
  async create(@Body() input: CreatePatientDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<Patient> {
    return (await this.patients.create(actor, input, req.ip)).patient;
  }

  /** The file, the age and the appointments. */
  @Get(':id')
  @Roles(...PATIENT_READERS)
  @ApiOperation({ summary: 'One patient file with the age and the appointments' })
  get(@Param('id') id: string): Promise<PatientProfile> {
    return this.patients.profile(id);
  }

  /** Everything the clinic holds about the patient (the right of access; shape in docs/architecture.md), audited as `patient.exported`. */
  @Get(':id/export')
  @Roles(...PATIENT_EXPORTERS)
  @ApiOperation({ summary: 'Everything the clinic holds about the patient, as JSON (the right of access); audited' })
  exportRecord(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request): Promise<PatientExport> {
    return this.exporter.export(actor, id, 'json', 'api', req.ip);
  }

  /** Only the fields sent change; an optional field sent as null or "" is cleared. */
  @Patch(':id')
  @Roles(...PATIENT_WRITERS)
  @ApiOperation({ summary: 'Changes a patient file: only the fields sent change; an optional field sent as null or "" is cleared' })
  @ApiRefusals({ 409: 'The username or national id belongs to someone else (`username_taken`, `national_id_taken`).' })
  async update(@Param('id') id: string, @Body() input: UpdatePatientDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<Patient> {
    return (await this.patients.update(actor, id, input, req.ip)).patient;
  }
}
