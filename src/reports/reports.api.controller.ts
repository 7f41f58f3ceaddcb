import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { ReportQueryDto } from './dto/report-query.dto';
import { ReportsService } from './reports.service';

/** `GET /api/v1/reports/summary?from&to&doctorId`: the dashboard's numbers as JSON. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
@Roles('admin')
export class ReportsApiController {
  constructor(private readonly reports: ReportsService) {}

  @Get('summary')
  @ApiOperation({ summary: "The dashboard's numbers for a period (this month by default) and some doctors (all by default)" })
  async summary(@Query() query: ReportQueryDto) {
    return this.reports.summary(await this.reports.filter(query));
  }
}
