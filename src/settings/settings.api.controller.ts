import { Body, Controller, Get, Patch, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { ClinicSettingsDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

/** `GET` and `PATCH /api/v1/settings`: the same settings and rules as the owner's page. */
@ApiTags('settings')
@ApiBearerAuth()
@Controller('api/v1/settings')
@Roles('admin')
export class SettingsApiController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiOperation({ summary: "The clinic's settings: contact, online booking rules, no-shows, reminders, language" })
  get() {
    return this.settings.get();
  }

  @Patch()
  @ApiOperation({ summary: 'Changes any of the settings; a field left out keeps its value' })
  update(@Body() input: ClinicSettingsDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.settings.update(actor, input, req.ip);
  }
}
