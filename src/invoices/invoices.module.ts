import { Module } from '@nestjs/common';
import { ReportsModule } from '../reports/reports.module';
import { SettingsModule } from '../settings/settings.module';
import { InvoicePages } from './invoice-pages.service';
import { InvoicesApiController } from './invoices.api.controller';
import { InvoicesController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';

/** Billing: invoices (raised by completing a visit), payments, voids, receipts and the day's close-out. */
@Module({
  imports: [ReportsModule, SettingsModule],
  controllers: [InvoicesController, InvoicesApiController],
  providers: [InvoicesService, InvoicesRepository, InvoicePages],
})
export class InvoicesModule {}
