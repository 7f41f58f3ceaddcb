import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { wantsFragment } from '../common/http/htmx';
import { render, renderPage } from '../common/http/render';
import { t } from '../i18n/i18n';
import { FollowUpsService } from './follow-ups.service';

/** Sent with every change, so the reception board's follow-ups panel refreshes. */
const CHANGED_EVENT = 'follow-ups-changed';

/** Reception's follow-up list: a panel on the board (HTMX) and a page of its own. */
@Controller('follow-ups')
@Roles('reception', 'admin')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'follow-ups/index', 'follow-ups/_panel', { ...(await this.followUps.openItems()), title: t('followUps:title') });
  }

  /** HTMX gets the fresh panel and the change event; a plain form goes back to the list it came from. */
  @Post(':id/dismiss')
  async dismiss(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.followUps.dismiss(actor, id, req.ip);
    if (!wantsFragment(req)) return res.redirect(303, actor.role === 'reception' ? '/reception' : '/follow-ups');
    res.status(200).set('HX-Trigger', CHANGED_EVENT);
    await render(res, 'follow-ups/_panel', { ...(await this.followUps.openItems()), layout: false });
  }
}
