import { Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { FollowUpListQueryDto } from './dto/follow-up.dto';
import { FollowUpsService } from './follow-ups.service';

/** Follow-ups as JSON: staff read them, the front desk dismisses them. */
@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller('api/v1/follow-ups')
@Roles('reception', 'admin')
export class FollowUpsApiController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Get()
  @Roles('reception', 'admin', 'doctor')
  @ApiOperation({ summary: 'Follow-ups (open ones by default), earliest due first' })
  async list(@Query() query: FollowUpListQueryDto) {
    const status = query.status ?? 'open';
    return { status, followUps: await this.followUps.list(status) };
  }

  @Post(':id/dismiss')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dismisses an open follow-up' })
  @ApiRefusals({ 409: 'It is no longer open (`follow_up_closed`).' })
  dismiss(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.followUps.dismiss(actor, id, req.ip);
  }
}
