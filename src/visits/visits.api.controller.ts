import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { AmendmentDto, CompleteVisitDto } from './dto/complete-visit.dto';
import { visitFromApi } from './visit-input';
import { VisitsService } from './visits.service';

/** The visit record over the API: the same rules and errors as the doctor's screen. */
@ApiTags('visits')
@ApiBearerAuth()
@Controller('api/v1/visits')
@Roles('doctor')
export class VisitsApiController {
  constructor(private readonly visits: VisitsService) {}

  /** The appointment with its consultation, lines, amendments and invoice (an admin may read any). */
  @Get(':appointmentId')
  @Roles('doctor', 'admin')
  @ApiOperation({ summary: 'The appointment with its consultation, lines, amendments and invoice (the appointment\'s doctor, or a clinic owner)' })
  get(@Param('appointmentId') id: string, @CurrentUser() actor: Principal) {
    return this.visits.get(actor, id);
  }

  @Post(':appointmentId/complete')
  @HttpCode(201)
  @ApiOperation({ summary: 'Completes the visit: consultation, prescription, requirements, follow-up and invoice in one transaction' })
  @ApiRefusals({ 409: 'The appointment cannot be completed from its status, e.g. already completed or cancelled (`invalid_transition`).' })
  complete(@Param('appointmentId') id: string, @Body() body: CompleteVisitDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.visits.complete(actor, id, visitFromApi(body), req.ip);
  }

  @Post(':appointmentId/amendments')
  @HttpCode(201)
  @ApiOperation({ summary: "Appends a dated amendment to a completed visit's record" })
  @ApiRefusals({ 409: 'The visit is not completed yet (`not_completed`).' })
  amend(@Param('appointmentId') id: string, @Body() body: AmendmentDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.visits.amend(actor, id, body.text, req.ip);
  }
}
