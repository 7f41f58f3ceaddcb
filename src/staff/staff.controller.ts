import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RendersForm, Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { wantsFragment } from '../common/http/htmx';
import { render, renderPage } from '../common/http/render';
import { CreateStaffDto } from './dto/create-staff.dto';
import { ResetPasswordDto } from './dto/reset-password.dto';
import { type StaffChange, StaffPages } from './staff-pages.service';

const LAYOUT = 'layouts/staff';
/** A refused add is shown on the form's own page (the error path has no list to show), or as the form fragment for HTMX. */
const CREATE_FORM = { view: 'staff/new', layout: LAYOUT, fragment: 'staff/_create-form', secretFields: ['password'] } as const;
const PASSWORD_FORM = { view: 'staff/password', layout: LAYOUT, fragment: 'staff/_password-error', secretFields: ['password'] } as const;
/** Sent with every change so that other panels can refresh. */
const CHANGED_EVENT = 'staff-changed';

/**
 * The clinic owner's staff screen. Plain form posts answer 303 back to the list (post/redirect/get);
 * HTMX posts get the changed fragment and `HX-Trigger: staff-changed`.
 */
@Controller('admin/staff')
@Roles('admin')
export class StaffController {
  constructor(private readonly pages: StaffPages) {}

  @Get()
  async index(@CurrentUser() actor: Principal, @Query('done') done: unknown, @Query('member') member: unknown, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'staff/index', 'staff/_list', { ...(await this.pages.index(actor, done, member)) });
  }

  @Get('new')
  async newForm(@Res() res: Response) {
    await render(res, 'staff/new', { ...(await this.pages.newForm()), layout: LAYOUT });
  }

  @Post()
  @RendersForm(CREATE_FORM)
  async create(@Body() input: CreateStaffDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    return answer(req, res, await this.pages.create(actor, input, req.ip), 'staff/_created');
  }

  @Post(':id/deactivate')
  async deactivate(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    return answer(req, res, await this.pages.deactivate(actor, id, req.ip), 'staff/_changed');
  }

  @Post(':id/reactivate')
  async reactivate(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    return answer(req, res, await this.pages.reactivate(actor, id, req.ip), 'staff/_changed');
  }

  /** The row's password form targets its own message line (for a refusal); a success is retargeted to the whole list. */
  @Post(':id/password')
  @RendersForm(PASSWORD_FORM)
  async resetPassword(
    @Param('id') id: string,
    @Body() input: ResetPasswordDto,
    @CurrentUser() actor: Principal,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    return answer(req, res, await this.pages.resetPassword(actor, id, input.password, req.ip), 'staff/_changed', '#staff-list');
  }
}

/**
 * Page or fragment, decided here once for every staff write: post/redirect/get for a plain form,
 * the changed fragment plus `HX-Trigger` for HTMX.
 */
async function answer(req: Request, res: Response, change: StaffChange, fragment: string, retarget?: string): Promise<void> {
  const htmx = wantsFragment(req);
  if (change.signedOut) {
    // their own session has just ended: straight to the sign-in form rather than a refused next request
    if (htmx) return void res.status(200).set('HX-Redirect', '/login').end();
    return res.redirect(303, '/login');
  }
  if (!htmx) return res.redirect(303, `/admin/staff?done=${change.done}&member=${change.memberId}`);
  // Nest has already set 201 on a POST; a swapped fragment is a plain 200
  res.status(200).set('HX-Trigger', CHANGED_EVENT);
  if (retarget) res.set({ 'HX-Retarget': retarget, 'HX-Reswap': 'outerHTML' });
  await render(res, fragment, { ...change, layout: false });
}
