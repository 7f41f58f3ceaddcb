import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { TenantContext } from '../tenancy/tenant-context';
import { csvLines, UTF8_BOM } from './csv';
import { ReportQueryDto } from './dto/report-query.dto';
import { EXPORT_PAGE, ExportsRepository } from './exports.repository';
import { periodInstants } from './report-filter';
import { ReportsService } from './reports.service';

const HEADERS = {
  appointments: ['date', 'time', 'doctor', 'file_number', 'patient', 'phone', 'status', 'cost', 'priority', 'cancel_reason', 'appointment_id'],
  invoices: ['invoice_number', 'visit_date', 'doctor', 'file_number', 'patient', 'amount', 'paid', 'balance', 'status', 'payment_methods', 'void_reason'],
} as const;

/**
 * CSV exports of a period's appointments and invoices (the dashboard's filter), streamed a page of
 * rows at a time inside the request's transaction, so they are one consistent snapshot; every cell
 * that a spreadsheet would read as a formula is neutralised (csv.ts).
 */
@Controller('admin/exports')
@Roles('admin')
export class ExportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly exports: ExportsRepository,
    private readonly context: TenantContext,
  ) {}

  @Get('appointments.csv')
  appointments(@Query() query: ReportQueryDto, @Res() res: Response) {
    return this.stream('appointments', query, res);
  }

  @Get('invoices.csv')
  invoices(@Query() query: ReportQueryDto, @Res() res: Response) {
    return this.stream('invoices', query, res);
  }

  private async stream(what: keyof typeof HEADERS, query: ReportQueryDto, res: Response): Promise<void> {
    const filter = await this.reports.filter(query);
    const zone = this.context.tenant.timeZone;
    const q = { ...periodInstants(filter, zone), doctorIds: filter.doctorIds.length ? filter.doctorIds : null, zone };
    const page = what === 'appointments' ? this.exports.appointments.bind(this.exports) : this.exports.invoices.bind(this.exports);
    res.status(200).set({
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${this.context.tenant.slug}-${what}-${filter.from}-${filter.to}.csv"`,
      'Cache-Control': 'private, no-store',
    });
    res.write(UTF8_BOM + csvLines([HEADERS[what]]));
    for (let after: [Date, string] | null = null; ; ) {
      const rows = await page(q, after);
      if (rows.length) res.write(csvLines(rows.map((r) => r.cells)));
      if (rows.length < EXPORT_PAGE) break;
      const last = rows.at(-1)!;
      after = [last.startsAt, last.id];
    }
    res.end();
  }
}
