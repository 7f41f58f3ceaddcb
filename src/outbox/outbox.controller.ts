import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { redirectAfterWrite, renderPage } from '../common/http/render';
import { OutboxQueryDto } from './dto/outbox-query.dto';
import { OutboxPages } from './outbox-pages.service';

/** The notices sent to patients, for the clinic owner: what went, what is waiting, what failed. */
@Controller('admin/outbox')
@Roles('admin')
export class OutboxController {
  constructor(private readonly pages: OutboxPages) {}

  @Get()
  async index(@Query() query: OutboxQueryDto, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'outbox/index', 'outbox/_list', await this.pages.index(query));
  }

  @Get(':id')
  async show(@Param('id') id: string, @Query('done') done: unknown, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'outbox/show', 'outbox/_notice', await this.pages.notice(id, typeof done === 'string' ? done : undefined));
  }

  /** Sends a failed or uncertain notice again (a person's decision: an uncertain one may already have arrived). */
  @Post(':id/resend')
  async resend(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.pages.requeue(actor, id, req.ip);
    redirectAfterWrite(req, res, `/admin/outbox/${id}?done=requeued`);
  }
}
