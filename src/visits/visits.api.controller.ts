import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { AmendmentDto, CompleteVisitDto } from './dto/complete-visit.dto';
import { visitFromApi } from './visit-input';
import { VisitsService } from './visits.service';

/** The visit record over the API: the same rules and errors as the doctor's screen. */
@Controller('api/v1/visits')
@Roles('doctor')
export class VisitsApiController {
  constructor(private readonly visits: VisitsService) {}

  /** The appointment with its consultation, lines, amendments and invoice (an admin may read any). */
  @Get(':appointmentId')
  @Roles('doctor', 'admin')
  get(@Param('appointmentId') id: string, @CurrentUser() actor: Principal) {
    return this.visits.get(actor, id);
  }

  @Post(':appointmentId/complete')
  @HttpCode(201)
  complete(@Param('appointmentId') id: string, @Body() body: CompleteVisitDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.visits.complete(actor, id, visitFromApi(body), req.ip);
  }

  @Post(':appointmentId/amendments')
  @HttpCode(201)
  amend(@Param('appointmentId') id: string, @Body() body: AmendmentDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.visits.amend(actor, id, body.text, req.ip);
  }
}
