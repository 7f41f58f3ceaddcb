import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RendersForm, Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { wantsFragment } from '../common/http/htmx';
import { render, renderPage } from '../common/http/render';
import { CreatePatientDto } from './dto/create-patient.dto';
import { UpdatePatientDto } from './dto/update-patient.dto';
import { mayExportPatients, PATIENT_EXPORTERS } from './patient-export';
import { type ExportFile, PatientExportService } from './patient-export.service';
import { type PatientChangeKind, PatientPages, type ProfileScreen } from './patient-pages.service';
import { PATIENT_READERS, PATIENT_WRITERS } from './patient-rules';

const LAYOUT = 'layouts/staff';
const CREATE_FORM = { view: 'patients/new', layout: LAYOUT, fragment: 'patients/_form', model: PatientPages } as const;
const EDIT_FORM = { view: 'patients/edit', layout: LAYOUT, fragment: 'patients/_form', model: PatientPages } as const;
/** Sent with every change so that other panels (a list, a today board) can refresh. */
const CHANGED_EVENT = 'patients-changed';

/**
 * The front desk's patient files at /patients: reception and clinic owners register and edit,
 * doctors read. Each screen is the full page, or its fragment for HTMX. Plain form posts answer 303
 * to the profile (post/redirect/get); HTMX posts get the profile fragment in place of the form's
 * screen, its URL pushed, and `HX-Trigger: patients-changed`.
 */
@Controller('patients')
export class PatientsController {
  constructor(
    private readonly pages: PatientPages,
    private readonly exporter: PatientExportService,
  ) {}

  /** The list and the search box; the results table is the fragment swapped as one types. */
  @Get()
  @Roles(...PATIENT_READERS)
  async index(@CurrentUser() actor: Principal, @Query('q') q: unknown, @Query('page') page: unknown, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'patients/index', 'patients/_results', { ...(await this.pages.index(actor, q, page)) });
  }

  @Get('new')
  @Roles(...PATIENT_WRITERS)
  async newForm(@Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'patients/new', 'patients/_form', { ...this.pages.newForm() });
  }

  /** The username field again, with a username suggested from the name (the form asks when a name changes). */
  @Get('username-suggestion')
  @Roles(...PATIENT_WRITERS)
  async usernameSuggestion(@Query('firstName') firstName: unknown, @Query('lastName') lastName: unknown, @Query('username') username: unknown, @Res() res: Response) {
    await render(res, 'patients/_username-field', { ...(await this.pages.usernameField(firstName, lastName, username)), layout: false });
  }

  @Post()
  @Roles(...PATIENT_WRITERS)
  @RendersForm(CREATE_FORM)
  async create(@Body() input: CreatePatientDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    const { screen } = await this.pages.create(actor, input, req.ip);
    await answer(req, res, 'created', screen, actor);
  }

  @Get(':id')
  @Roles(...PATIENT_READERS)
  async profile(@Param('id') id: string, @Query('done') done: unknown, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'patients/show', 'patients/_profile', { ...(await this.pages.profile(actor, id, done)), canExport: mayExportPatients(actor.role) });
  }

  /** Everything the clinic holds about the patient, as a JSON file (the profile's download link). */
  @Get(':id/export.json')
  @Roles(...PATIENT_EXPORTERS)
  async exportJson(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    download(res, await this.exporter.json(actor, id, req.ip), 'application/json; charset=utf-8');
  }

  /** The same as a printable PDF in the reader's language. */
  @Get(':id/export.pdf')
  @Roles(...PATIENT_EXPORTERS)
  async exportPdf(@Param('id') id: string, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    download(res, await this.exporter.pdf(actor, id, req.ip), 'application/pdf');
  }

  @Get(':id/edit')
  @Roles(...PATIENT_WRITERS)
  async editForm(@Param('id') id: string, @Req() req: Request, @Res() res: Response) {
    const screen = await this.pages.editForm(id);
    await renderPage(req, res, 'patients/edit', 'patients/_form', { ...screen });
  }

  @Post(':id')
  @Roles(...PATIENT_WRITERS)
  @RendersForm(EDIT_FORM)
  async update(@Param('id') id: string, @Body() input: UpdatePatientDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    const { screen } = await this.pages.update(actor, id, input, req.ip);
    await answer(req, res, 'updated', screen, actor);
  }
}


/**
 * After a write: post/redirect/get for a plain form; for HTMX the changed profile in place of the
 * screen (`#patient-screen`), with the profile's URL pushed so that the address bar and history match.
 */
async function answer(req: Request, res: Response, done: PatientChangeKind, screen: ProfileScreen, actor: Principal): Promise<void> {
  const href = `/patients/${screen.patient.id}`;
  if (!wantsFragment(req)) return res.redirect(303, `${href}?done=${done}`);
  // Nest has already set 201 on a POST; a swapped fragment is a plain 200
  res.status(200).set({ 'HX-Trigger': CHANGED_EVENT, 'HX-Retarget': '#patient-screen', 'HX-Reswap': 'outerHTML', 'HX-Push-Url': href });
  await render(res, 'patients/_profile', { ...screen, canExport: mayExportPatients(actor.role), layout: false });
}

/** A file to save, never cached (it is a patient's whole record). */
function download(res: Response, file: ExportFile, type: string): void {
  res.status(200).set({ 'Content-Type': type, 'Content-Disposition': `attachment; filename="${file.fileName}"`, 'Cache-Control': 'private, no-store' }).send(file.content);
}
