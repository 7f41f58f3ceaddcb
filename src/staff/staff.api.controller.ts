import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { CreateStaffDto } from './dto/create-staff.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import type { StaffMember } from './staff-member';
import { StaffService } from './staff.service';

/** The staff of the clinic for API clients (Bearer token of a clinic owner). Errors: `{ error: { code, message, fields? } }`. */
@Controller('api/v1/staff')
@Roles('admin')
export class StaffApiController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  async list(): Promise<{ staff: StaffMember[] }> {
    return { staff: await this.staff.list() };
  }

  @Post()
  create(@Body() input: CreateStaffDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<StaffMember> {
    return this.staff.create(actor, input, req.ip);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request): Promise<StaffMember> {
    return this.staff.deactivate(actor, id, req.ip);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  reactivate(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request): Promise<StaffMember> {
    return this.staff.reactivate(actor, id, req.ip);
  }

  @Post(':id/password')
  @HttpCode(200)
  resetPassword(@Param('id') id: string, @Body() input: ResetPasswordDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<StaffMember> {
    return this.staff.resetPassword(actor, id, input.password, req.ip);
  }
}
