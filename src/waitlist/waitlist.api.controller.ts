import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { WaitlistEntryDto, WaitlistQueryDto, WaitlistRequestDto } from './dto/waitlist.dto';
import { WaitlistService } from './waitlist.service';

/** The waitlist for API clients: staff for any patient, a patient for themselves. */
@Controller('api/v1')
export class WaitlistApiController {
  constructor(private readonly waitlist: WaitlistService) {}

  @Get('waitlist')
  @Roles('admin', 'reception')
  async list(@Query() query: WaitlistQueryDto) {
    return { entries: await this.waitlist.list(query) };
  }

  @Post('waitlist')
  @Roles('admin', 'reception')
  add(@Body() body: WaitlistEntryDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.waitlist.add(actor, body, req.ip);
  }

  @Delete('waitlist/:id')
  @HttpCode(204)
  @Roles('admin', 'reception')
  async remove(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request) {
    await this.waitlist.remove(actor, id, req.ip);
  }

  @Get('portal/waitlist')
  @Roles('patient')
  async mine(@CurrentUser() patient: Principal) {
    return { entries: await this.waitlist.list({ patientId: await this.waitlist.fileOf(patient.userId) }) };
  }

  @Post('portal/waitlist')
  @Roles('patient')
  async join(@Body() body: WaitlistRequestDto, @CurrentUser() patient: Principal, @Req() req: Request) {
    return this.waitlist.add(patient, { ...body, patientId: await this.waitlist.fileOf(patient.userId) }, req.ip);
  }

  @Delete('portal/waitlist/:id')
  @HttpCode(204)
  @Roles('patient')
  async leave(@Param('id') id: string, @CurrentUser() patient: Principal, @Req() req: Request) {
    await this.waitlist.remove(patient, id, req.ip, await this.waitlist.fileOf(patient.userId));
  }
}
