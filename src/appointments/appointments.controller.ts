import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RendersForm, Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { wantsFragment } from '../common/http/htmx';
import { redirectAfterWrite, render, renderPage } from '../common/http/render';
import { AppointmentPages } from './appointment-pages.service';
import { AppointmentsService, type AppointmentView } from './appointments.service';
import { BookAppointmentFormDto, CancelAppointmentDto, DayQueryDto, MoveAppointmentDto, NewAppointmentQueryDto, SlotsQueryDto } from './dto/appointment.dto';

const LAYOUT = 'layouts/staff';
const BOOKING_FORM = { view: 'appointments/new', layout: LAYOUT, fragment: 'appointments/_booking-form', model: AppointmentPages } as const;
/** Sent with every change, so the board and lists on other panels refresh. */
const CHANGED_EVENT = 'appointments-changed';

/** The front desk's appointment screens: a day's list, booking, one appointment and its actions. */
@Controller('appointments')
@Roles('admin', 'reception')
export class AppointmentsController {
  constructor(
    private readonly pages: AppointmentPages,
    private readonly appointments: AppointmentsService,
  ) {}

  @Get()
  async list(@Query() query: DayQueryDto, @Req() req: Request, @Res() res: Response) {
    const model = await this.pages.dayList(query.date, query.doctorId, query.status);
    await renderPage(req, res, 'appointments/index', 'appointments/_day', model);
  }

  @Get('new')
  async newForm(@Query() query: NewAppointmentQueryDto, @Res() res: Response) {
    await render(res, 'appointments/new', { ...(await this.pages.bookingForm(query)), layout: LAYOUT });
  }

  /** The slot picker fragment (HTMX, on a change of doctor or day). */
  @Get('slots')
  async slots(@Query() query: SlotsQueryDto, @Res() res: Response) {
    const picker = await this.pages.slotPicker(query.doctorId, query.date, query.time, query.appointmentId);
    await render(res, 'appointments/_slots', { ...picker, layout: false });
  }

  @Post()
  @RendersForm(BOOKING_FORM)
  async book(@Body() form: BookAppointmentFormDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    const { next, ...input } = form;
    const booked = await this.appointments.book(actor, input, req.ip);
    redirectAfterWrite(req, res, this.pages.afterBooking(actor, next, booked));
  }

  @Get(':id')
  async detail(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'appointments/show', 'appointments/_detail', await this.pages.detail(id));
  }

  @Post(':id/reschedule')
  async reschedule(@Param('id') id: string, @Body() form: MoveAppointmentDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.changed(req, res, await this.appointments.reschedule(actor, id, form, req.ip));
  }

  @Post(':id/check-in')
  async checkIn(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.changed(req, res, await this.appointments.changeStatus(actor, id, 'checked_in', undefined, req.ip));
  }

  @Post(':id/cancel')
  async cancel(@Param('id') id: string, @Body() form: CancelAppointmentDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.changed(req, res, await this.appointments.changeStatus(actor, id, 'cancelled', form.reason, req.ip));
  }

  @Post(':id/no-show')
  async noShow(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.changed(req, res, await this.appointments.changeStatus(actor, id, 'no_show', undefined, req.ip));
  }

  /**
   * After a change: HTMX from the today board gets the fresh board, HTMX from the appointment's page
   * its fresh detail; a plain form goes to the appointment's page (post/redirect/get).
   */
  private async changed(req: Request, res: Response, appointment: AppointmentView): Promise<void> {
    if (!wantsFragment(req)) return redirectAfterWrite(req, res, `/appointments/${appointment.id}`);
    res.status(200).set('HX-Trigger', CHANGED_EVENT);
    if (req.get('HX-Target') === 'board') return render(res, 'reception/_board', { ...(await this.pages.board()), layout: false });
    await render(res, 'appointments/_detail', { ...(await this.pages.detail(appointment.id)), layout: false });
  }
}


