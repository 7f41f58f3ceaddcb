import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { wantsFragment } from '../common/http/htmx';
import { render } from '../common/http/render';
import { AppointmentPages } from './appointment-pages.service';

/** The front desk's home: today's appointments per doctor, with the day's counts and the status actions. */
@Controller('reception')
@Roles('reception')
export class ReceptionBoardController {
  constructor(private readonly pages: AppointmentPages) {}

  @Get()
  async board(@Req() req: Request, @Res() res: Response) {
    const htmx = wantsFragment(req);
    await render(res, htmx ? 'reception/_board' : 'reception/board', { ...(await this.pages.board()), layout: htmx ? false : 'layouts/staff' });
  }
}
