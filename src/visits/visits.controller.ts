import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RendersForm, Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { wantsFragment } from '../common/http/htmx';
import { redirectAfterWrite, render, renderPage } from '../common/http/render';
import { AmendmentDto, CompleteVisitFormDto, LineQueryDto, MedicationQueryDto } from './dto/complete-visit.dto';
import { visitFromForm } from './visit-input';
import { VisitPages } from './visit-pages.service';
import { VisitsService } from './visits.service';

const LAYOUT = 'layouts/staff';
const VISIT_FORM = { view: 'visits/show', layout: LAYOUT, fragment: 'visits/_form', model: VisitPages, secretFields: [] } as const;
const AMENDMENT_FORM = { view: 'visits/show', layout: LAYOUT, fragment: 'visits/_record', model: VisitPages, secretFields: [] } as const;
/** Sent after a change, so the doctor's queue and other panels refresh. */
const CHANGED_EVENT = 'visits-changed';

/** The doctor's visit screen: complete the visit, then read it and add amendments. */
@Controller('visits')
@Roles('doctor')
export class VisitsController {
  constructor(
    private readonly pages: VisitPages,
    private readonly visits: VisitsService,
  ) {}

  /** Autocomplete (HTMX): the clinic's own past medication names, as `<option>`s of the form's datalist. */
  @Get('medications')
  async medications(@Query() query: MedicationQueryDto, @Res() res: Response) {
    const names = await this.visits.medications(query.medication ?? query.q);
    await render(res, 'visits/_medications', { names, layout: false });
  }

  /** One more empty prescription row (HTMX), and the "add" button that will ask for the next. */
  @Get('lines/prescription')
  async prescriptionLine(@Query() query: LineQueryDto, @Res() res: Response) {
    await render(res, 'visits/_prescription-line', { ...this.pages.prescriptionLine(rowNumber(query.index)), addButton: true, layout: false });
  }

  @Get('lines/requirement')
  async requirementLine(@Query() query: LineQueryDto, @Res() res: Response) {
    await render(res, 'visits/_requirement-line', { ...this.pages.requirementLine(rowNumber(query.index)), addButton: true, layout: false });
  }

  /** "Remove" swaps its row for this empty answer (no inline script is allowed). */
  @Get('lines/none')
  none(@Res() res: Response) {
    res.status(200).type('html').send('');
  }

  @Get(':appointmentId')
  async show(@Param('appointmentId') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    const model = await this.pages.visit(actor, id);
    const part = model.visit.completed || !model.visit.canComplete ? 'visits/_record' : 'visits/_form';
    await renderPage(req, res, 'visits/show', part, { ...model });
  }

  @Post(':appointmentId')
  @RendersForm(VISIT_FORM)
  async complete(@Param('appointmentId') id: string, @Body() form: CompleteVisitFormDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.visits.complete(actor, id, visitFromForm(form), req.ip);
    redirectAfterWrite(req, res, `/visits/${id}`);
  }

  @Post(':appointmentId/amendments')
  @RendersForm(AMENDMENT_FORM)
  async amend(@Param('appointmentId') id: string, @Body() form: AmendmentDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.visits.amend(actor, id, form.text, req.ip);
    if (!wantsFragment(req)) return redirectAfterWrite(req, res, `/visits/${id}`);
    res.status(200).set('HX-Trigger', CHANGED_EVENT).vary('HX-Request');
    await render(res, 'visits/_record', { ...(await this.pages.visit(actor, id)), layout: false });
  }
}

const rowNumber = (index: string | undefined): number => Math.min(Math.max(Number(index ?? 1) || 1, 1), 999);

