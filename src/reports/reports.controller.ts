import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { renderPage } from '../common/http/render';
import { DashboardPages } from './dashboard-pages.service';
import { ReportQueryDto } from './dto/report-query.dto';
import { ReportException } from './reports.exception';
import { ReportsService } from './reports.service';

/**
 * The owner's dashboard at /admin: the filter bar (a GET form, kept in the URL so a view can be
 * bookmarked; HTMX swaps only the numbers and pushes the URL), the cards and the charts.
 */
@Controller('admin')
@Roles('admin')
export class ReportsController {
  constructor(
    private readonly pages: DashboardPages,
    private readonly reports: ReportsService,
  ) {}

  @Get()
  async dashboard(@Query() query: ReportQueryDto, @Req() req: Request, @Res() res: Response) {
    const filter = await this.reports.filter(query).catch((error: unknown) => {
      if (error instanceof ReportException) return error;
      throw error;
    });
    if (filter instanceof ReportException) {
      // a period that cannot be: the filter bar again, as typed, with the reason; no numbers
      const model = { ...(await this.pages.refused(query)), error: filter.message, fields: filter.fields ?? {} };
      return renderPage(req, res.status(422), 'admin/dashboard', 'admin/_dashboard', model);
    }
    await renderPage(req, res, 'admin/dashboard', 'admin/_dashboard-html', await this.pages.dashboard(filter));
  }
}
