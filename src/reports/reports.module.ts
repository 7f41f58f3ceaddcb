import { Module } from '@nestjs/common';
import { DashboardCache } from './dashboard-cache.service';
import { DashboardPages } from './dashboard-pages.service';
import { ExportsController } from './exports.controller';
import { ExportsRepository } from './exports.repository';
import { ReportsApiController } from './reports.api.controller';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** The owner's dashboard (/admin), the summary API and the CSV exports. `DashboardCache` is exported for the features whose changes move the numbers. */
@Module({
  controllers: [ReportsController, ReportsApiController, ExportsController],
  providers: [ReportsService, ReportsRepository, DashboardCache, DashboardPages, ExportsRepository],
  exports: [DashboardCache],
})
export class ReportsModule {}
