import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { WaitlistEntryDto, WaitlistQueryDto, WaitlistRequestDto } from './dto/waitlist.dto';
import { WaitlistService } from './waitlist.service';

/** The waitlist for API clients: staff for any patient, a patient for themselves. */
@ApiTags('waitlist')
@ApiBearerAuth()
@Controller('api/v1')
export class WaitlistApiController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Get('waitlist')
  @Roles('admin', 'reception')
  @ApiOperation({ summary: 'Patients waiting for a freed time, in the order they asked' })
  async list(@Query() query: WaitlistQueryDto) {
    return { entries: await this.waitlist.list(query) };
  }

  @Post('waitlist')
  @Roles('admin', 'reception')
  @ApiOperation({ summary: "Adds a patient to a doctor's waitlist for some days" })
  @ApiRefusals({
    404: 'No such patient or doctor in this clinic.',
    409: 'The patient already waits for that doctor (`already_waiting`).',
  })
  add(@Body() body: WaitlistEntryDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.waitlist.add(actor, body, req.ip);
  }

  @Delete('waitlist/:id')
  @HttpCode(204)
  @Roles('admin', 'reception')
  @ApiOperation({ summary: 'Removes a wait' })
  @ApiRefusals({ 409: 'It is no longer waiting (`invalid_transition`).' })
  async remove(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request) {
    await this.waitlist.remove(actor, id, req.ip);
  }

  @Get('portal/waitlist')
  @Roles('patient')
  @ApiTags('portal')
  @ApiOperation({ summary: 'My waits' })
  @ApiRefusals({ 404: 'No patient file is linked to this portal account (`patient_not_found`).' })
  async mine(@CurrentUser() patient: Principal) {
    return { entries: await this.waitlist.list({ patientId: await this.waitlist.fileOf(patient.userId) }) };
  }

  @Post('portal/waitlist')
  @Roles('patient')
  @ApiTags('portal')
  @ApiOperation({ summary: "Joins a doctor's waitlist for some days" })
  @ApiRefusals({
    404: 'No such doctor, or no patient file linked to this portal account.',
    409: 'I already wait for that doctor (`already_waiting`).',
  })
  async join(@Body() body: WaitlistRequestDto, @CurrentUser() patient: Principal, @Req() req: Request) {
    return this.waitlist.add(patient, { ...body, patientId: await this.waitlist.fileOf(patient.userId) }, req.ip);
  }

  @Delete('portal/waitlist/:id')
  @HttpCode(204)
  @Roles('patient')
  @ApiTags('portal')
  @ApiOperation({ summary: 'Leaves a waitlist' })
  @ApiRefusals({ 409: 'It is no longer waiting (`invalid_transition`).' })
  async leave(@Param('id') id: string, @CurrentUser() patient: Principal, @Req() req: Request) {
    await this.waitlist.remove(patient, id, req.ip, await this.waitlist.fileOf(patient.userId));
  }
}
