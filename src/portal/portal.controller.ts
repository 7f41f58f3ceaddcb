import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RendersForm, Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { redirectAfterWrite, render, renderPage } from '../common/http/render';
import { PaperSizeQueryDto } from '../prescriptions/dto/paper-size.dto';
import { sendPrescriptionPage, sendPrescriptionPdf } from '../prescriptions/prescription-answers';
import { DoctorDayQueryDto } from '../appointments/dto/appointment.dto';
import { PortalBookingFormDto, PortalCancelDto, PortalPageQueryDto } from './dto/portal.dto';
import { PortalPages } from './portal-pages.service';
import { PortalService } from './portal.service';

const LAYOUT = 'layouts/portal';
const BOOKING_FORM = { view: 'portal/book', layout: LAYOUT, fragment: 'portal/_book-form', model: PortalPages } as const;
const CANCEL_FORM = { view: 'portal/visit', layout: LAYOUT, fragment: 'portal/_cancel', model: PortalPages } as const;

/**
 * The patient portal: my visits, one visit (its record, its prescription to print), booking and
 * cancelling. Every id in these routes is looked up within the signed-in patient's own file.
 */
@Controller('portal')
@Roles('patient')
export class PortalController {
  constructor(
    private readonly pages: PortalPages,
    private readonly portal: PortalService,
  ) {}

  /** The page, or for "Show older visits" (HTMX) the next page of past ones. */
  @Get()
  async home(@Query() query: PortalPageQueryDto, @CurrentUser() patient: Principal, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'portal/home', 'portal/_past', await this.pages.home(patient, query.page), LAYOUT);
  }

  @Get('book')
  async bookForm(@Query() query: DoctorDayQueryDto, @CurrentUser() patient: Principal, @Res() res: Response) {
    await render(res, 'portal/book', { ...(await this.pages.book(patient, { ...query })), layout: LAYOUT });
  }

  /** The picker of free times (HTMX, on a change of doctor or day). */
  @Get('book/slots')
  async slots(@Query() query: DoctorDayQueryDto, @Res() res: Response) {
    await render(res, 'portal/_slots', { ...(await this.pages.picker(query.doctorId, query.date)), layout: false });
  }

  @Post('book')
  @RendersForm(BOOKING_FORM)
  async book(@Body() form: PortalBookingFormDto, @CurrentUser() patient: Principal, @Req() req: Request, @Res() res: Response) {
    if (form.show) {
      // a browser without JavaScript asks for the day's times: the page again, nothing booked
      return renderPage(req, res.status(200), 'portal/book', 'portal/_book-form', await this.pages.book(patient, { ...form }), LAYOUT);
    }
    const booked = await this.portal.book(patient, { doctorId: form.doctorId!, date: form.date!, time: form.time! }, req.ip);
    redirectAfterWrite(req, res, `/portal/visits/${booked.id}?done=booked`);
  }

  @Get('visits/:id')
  async visit(@Param('id') id: string, @Query() query: PortalPageQueryDto, @CurrentUser() patient: Principal, @Res() res: Response) {
    await render(res, 'portal/visit', { ...(await this.pages.visit(patient, id, query.done)), layout: LAYOUT });
  }

  @Post('appointments/:id/cancel')
  @RendersForm(CANCEL_FORM)
  async cancel(@Param('id') id: string, @Body() form: PortalCancelDto, @CurrentUser() patient: Principal, @Req() req: Request, @Res() res: Response) {
    await this.portal.cancel(patient, id, form.reason, req.ip);
    redirectAfterWrite(req, res, `/portal/visits/${id}?done=cancelled`);
  }

  /** The patient's own prescription: the same print view as the doctor's. */
  @Get('visits/:id/prescription')
  async prescription(@Param('id') id: string, @Query() query: PaperSizeQueryDto, @CurrentUser() patient: Principal, @Res() res: Response) {
    const sheet = await this.portal.prescription(patient, id);
    await sendPrescriptionPage(res, sheet, query.size ?? 'a5', `/portal/visits/${sheet.appointmentId}`);
  }

  @Get('visits/:id/prescription.pdf')
  async prescriptionPdf(@Param('id') id: string, @Query() query: PaperSizeQueryDto, @CurrentUser() patient: Principal, @Res() res: Response) {
    sendPrescriptionPdf(res, await this.portal.prescriptionPdf(patient, id, query.size ?? 'a5'));
  }
}
