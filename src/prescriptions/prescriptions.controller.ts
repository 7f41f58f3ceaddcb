import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { render } from '../common/http/render';
import { PaperSizeQueryDto } from './dto/paper-size.dto';
import { PrescriptionsService } from './prescriptions.service';

/** A completed visit's prescription, printed from the browser or downloaded as a PDF (reception prints it for the patient). */
@Controller('visits')
@Roles('doctor', 'admin', 'reception')
export class PrescriptionsController {
  constructor(private readonly prescriptions: PrescriptionsService) {}

  @Get(':id/prescription')
  async page(@Param('id') id: string, @Query() query: PaperSizeQueryDto, @Res() res: Response) {
    const size = query.size ?? 'a5';
    const sheet = await this.prescriptions.sheet(id);
    await render(res, 'prescriptions/show', { sheet, size, otherSize: size === 'a5' ? 'a4' : 'a5', title: 'Prescription', layout: 'prescriptions/layout' });
  }

  @Get(':id/prescription.pdf')
  async pdf(@Param('id') id: string, @Query() query: PaperSizeQueryDto, @Res() res: Response) {
    const { fileName, content } = await this.prescriptions.pdf(id, query.size ?? 'a5');
    res.status(200).set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${fileName}"`, 'Cache-Control': 'private, no-store' }).send(content);
  }
}
