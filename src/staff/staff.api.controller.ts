import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { CreateStaffDto } from './dto/create-staff.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import type { StaffMember } from './staff-member';
import { StaffService } from './staff.service';

/** The staff of the clinic for API clients (Bearer token of a clinic owner). Errors: `{ error: { code, message, fields? } }`. */
@ApiTags('staff')
@ApiBearerAuth()
@Controller('api/v1/staff')
@Roles('admin')
export class StaffApiController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @ApiOperation({ summary: "The clinic's staff accounts" })
  async list(): Promise<{ staff: StaffMember[] }> {
    return { staff: await this.staff.list() };
  }

  @Post()
  @ApiOperation({ summary: 'Creates a doctor, receptionist or clinic owner account' })
  @ApiRefusals({ 409: 'The username is taken (`username_taken`).' })
  create(@Body() input: CreateStaffDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<StaffMember> {
    return this.staff.create(actor, input, req.ip);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivates an account and ends all its sessions' })
  @ApiRefusals({ 409: 'It is the last active clinic owner (`last_admin`).' })
  deactivate(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request): Promise<StaffMember> {
    return this.staff.deactivate(actor, id, req.ip);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reactivates an account' })
  reactivate(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request): Promise<StaffMember> {
    return this.staff.reactivate(actor, id, req.ip);
  }

  @Post(':id/password')
  @HttpCode(200)
  @ApiOperation({ summary: "Sets a new password and ends all the account's sessions" })
  resetPassword(@Param('id') id: string, @Body() input: ResetPasswordDto, @CurrentUser() actor: Principal, @Req() req: Request): Promise<StaffMember> {
    return this.staff.resetPassword(actor, id, input.password, req.ip);
  }
}
