import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { PaperSizeQueryDto } from './dto/paper-size.dto';
import { sendPrescriptionPage, sendPrescriptionPdf } from './prescription-answers';
import { PrescriptionsService } from './prescriptions.service';

/** A completed visit's prescription, printed from the browser or downloaded as a PDF (reception prints it for the patient). */
@Controller('visits')
@Roles('doctor', 'admin', 'reception')
export class PrescriptionsController {
  constructor(private readonly prescriptions: PrescriptionsService) {}

  @Get(':id/prescription')
  async page(@Param('id') id: string, @Query() query: PaperSizeQueryDto, @Res() res: Response) {
    const sheet = await this.prescriptions.sheet(id);
    await sendPrescriptionPage(res, sheet, query.size ?? 'a5', `/visits/${sheet.appointmentId}`);
  }

  @Get(':id/prescription.pdf')
  async pdf(@Param('id') id: string, @Query() query: PaperSizeQueryDto, @Res() res: Response) {
    sendPrescriptionPdf(res, await this.prescriptions.pdf(id, query.size ?? 'a5'));
  }
}
