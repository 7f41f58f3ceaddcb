import { Body, Controller, Get, Patch, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { ClinicSettingsDto } from './dto/settings.dto';
import { SettingsService } from './settings.service';

/** `GET` and `PATCH /api/v1/settings`: the same settings and rules as the owner's page. */
@Controller('api/v1/settings')
@Roles('admin')
export class SettingsApiController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  get() {
    return this.settings.get();
  }

  @Patch()
  update(@Body() input: ClinicSettingsDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.settings.update(actor, input, req.ip);
  }
}
