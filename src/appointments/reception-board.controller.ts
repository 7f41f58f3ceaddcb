import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { renderPage } from '../common/http/render';
import { AppointmentPages } from './appointment-pages.service';

/** The front desk's home: today's appointments per doctor, with the day's counts and the status actions. */
@Controller('reception')
@Roles('reception')
export class ReceptionBoardController {
  constructor(private readonly pages: AppointmentPages) {}

  @Get()
  async board(@Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'reception/board', 'reception/_board', { ...(await this.pages.board()) });
  }
}
