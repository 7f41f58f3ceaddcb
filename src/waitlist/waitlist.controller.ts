import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RendersForm, Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { redirectAfterWrite, render, renderPage } from '../common/http/render';
import { WaitlistEntryDto, WaitlistQueryDto, WaitlistRequestDto } from './dto/waitlist.dto';
import { WaitlistPages } from './waitlist-pages.service';
import { WaitlistService } from './waitlist.service';

const WAITLIST_FORM = { view: 'waitlist/new', layout: 'layouts/staff', model: WaitlistPages } as const;
const PORTAL_FORM = { view: 'portal/waitlist', layout: 'layouts/portal', model: WaitlistPages } as const;

/** The front desk's waitlist: who waits for which doctor on which days; add and remove. */
@Controller('waitlist')
@Roles('admin', 'reception')
export class WaitlistController {
  constructor(
    private readonly pages: WaitlistPages,
    private readonly waitlist: WaitlistService,
  ) {}

  @Get()
  async index(@Query() query: WaitlistQueryDto, @Query('done') done: unknown, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'waitlist/index', 'waitlist/_list', await this.pages.index({ doctorId: query.doctorId, done: typeof done === 'string' ? done : undefined }));
  }

  @Get('new')
  async newForm(@Query() query: WaitlistQueryDto, @Res() res: Response) {
    await render(res, 'waitlist/new', { ...(await this.pages.newForm(query.patientId)), layout: 'layouts/staff' });
  }

  @Post()
  @RendersForm(WAITLIST_FORM)
  async add(@Body() form: WaitlistEntryDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.waitlist.add(actor, form, req.ip);
    redirectAfterWrite(req, res, '/waitlist?done=added');
  }

  @Post(':id/remove')
  async remove(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.waitlist.remove(actor, id, req.ip);
    redirectAfterWrite(req, res, '/waitlist?done=removed');
  }
}

/** The patient's own waitlist in the portal. */
@Controller('portal/waitlist')
@Roles('patient')
export class PortalWaitlistController {
  constructor(
    private readonly pages: WaitlistPages,
    private readonly waitlist: WaitlistService,
  ) {}

  @Get()
  async index(@Query('done') done: unknown, @CurrentUser() patient: Principal, @Res() res: Response) {
    await render(res, 'portal/waitlist', { ...(await this.pages.portal(patient, typeof done === 'string' ? done : undefined)), layout: 'layouts/portal' });
  }

  @Post()
  @RendersForm(PORTAL_FORM)
  async add(@Body() form: WaitlistRequestDto, @CurrentUser() patient: Principal, @Req() req: Request, @Res() res: Response) {
    await this.waitlist.add(patient, { ...form, patientId: await this.waitlist.fileOf(patient.userId) }, req.ip);
    redirectAfterWrite(req, res, '/portal/waitlist?done=added');
  }

  @Post(':id/remove')
  async remove(@Param('id') id: string, @CurrentUser() patient: Principal, @Req() req: Request, @Res() res: Response) {
    await this.waitlist.remove(patient, id, req.ip, await this.waitlist.fileOf(patient.userId));
    redirectAfterWrite(req, res, '/portal/waitlist?done=removed');
  }
}
