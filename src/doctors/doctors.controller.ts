import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RendersForm, Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { wantsFragment } from '../common/http/htmx';
import { render, renderPage } from '../common/http/render';
import { DoctorPages, type DoctorChange } from './doctor-pages.service';
import { DoctorTermsDto } from './dto/doctor-terms.dto';
import { WeekFormDto } from './dto/hours.dto';
import { LeaveDto } from './dto/leave.dto';

const LAYOUT = 'layouts/staff';
/** Each part of the doctor's page is a form; a refusal shows the whole page again (or that part's fragment for HTMX). */
const TERMS_FORM = { view: 'doctors/show', layout: LAYOUT, fragment: 'doctors/_terms', model: DoctorPages } as const;
const WEEK_FORM = { view: 'doctors/show', layout: LAYOUT, fragment: 'doctors/_week', model: DoctorPages } as const;
const LEAVE_FORM = { view: 'doctors/show', layout: LAYOUT, fragment: 'doctors/_leave', model: DoctorPages } as const;
/** Sent with every change so that other panels can refresh. */
const CHANGED_EVENT = 'doctors-changed';

/**
 * The clinic owner's doctors: the list, and one page per doctor to edit their terms, weekly hours and
 * leave. Plain form posts answer 303 back to the doctor's page (post/redirect/get); HTMX posts get the
 * changed part and `HX-Trigger: doctors-changed`.
 */
@Controller('admin/doctors')
@Roles('admin')
export class DoctorsController {
  constructor(private readonly pages: DoctorPages) {}

  @Get()
  async index(@Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'doctors/index', 'doctors/_list', { ...(await this.pages.index()) });
  }

  @Get(':id')
  async show(@Param('id') id: string, @Query('done') done: unknown, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'doctors/show', 'doctors/_screen', { ...(await this.pages.screen(id, done)) });
  }

  @Post(':id')
  @RendersForm(TERMS_FORM)
  async updateTerms(@Param('id') id: string, @Body() input: DoctorTermsDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await answer(req, res, await this.pages.updateTerms(actor, id, input, req.ip));
  }

  /** Saves the week — or, for the add/remove buttons (`edit`), shows the week form changed and unsaved. */
  @Post(':id/hours')
  @RendersForm(WEEK_FORM)
  async saveWeek(@Param('id') id: string, @Body() input: WeekFormDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    // Nest has already set 201 on a POST; the edited week is a plain 200
    if (input.edit) return renderPage(req, res.status(200), 'doctors/show', 'doctors/_week', { ...(await this.pages.editWeek(id, input)) });
    await answer(req, res, await this.pages.saveWeek(actor, id, input, req.ip));
  }

  @Post(':id/leave')
  @RendersForm(LEAVE_FORM)
  async addLeave(@Param('id') id: string, @Body() input: LeaveDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await answer(req, res, await this.pages.addLeave(actor, id, input, req.ip));
  }

  @Post(':id/leave/:leaveId/delete')
  @RendersForm(LEAVE_FORM)
  async removeLeave(@Param('id') id: string, @Param('leaveId') leaveId: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await answer(req, res, await this.pages.removeLeave(actor, id, leaveId, req.ip));
  }
}


/** After a write: post/redirect/get for a plain form; for HTMX the changed part, the notice out of band, and `HX-Trigger`. */
async function answer(req: Request, res: Response, change: DoctorChange): Promise<void> {
  if (!wantsFragment(req)) return res.redirect(303, `/admin/doctors/${change.doctor.id}?done=${change.done}`);
  res.status(200).set('HX-Trigger', CHANGED_EVENT);
  await render(res, 'doctors/_changed', { ...change, layout: false });
}
