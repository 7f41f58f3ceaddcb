import { Controller, Get, Query } from '@nestjs/common';
import { Roles } from '../auth/access.decorator';
import { ReportQueryDto } from './dto/report-query.dto';
import { ReportsService } from './reports.service';

/** `GET /api/v1/reports/summary?from&to&doctorId`: the dashboard's numbers as JSON. */
@Controller('api/v1/reports')
@Roles('admin')
export class ReportsApiController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  async summary(@Query() query: ReportQueryDto) {
    return this.reports.summary(await this.reports.filter(query));
  }
}
