import { Module } from '@nestjs/common';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ReportsModule } from '../reports/reports.module';
import { SettingsModule } from '../settings/settings.module';
import { AppointmentEvents } from './appointment-events';
import { AppointmentPages } from './appointment-pages.service';
import { AppointmentsApiController } from './appointments.api.controller';
import { AppointmentsController } from './appointments.controller';
import { AppointmentsRepository } from './appointments.repository';
import { AppointmentsService } from './appointments.service';
import { ReceptionBoardController } from './reception-board.controller';

/** Booking, the slot list, the appointment lifecycle and the today board. */
@Module({
  imports: [FollowUpsModule, ReportsModule, OutboxModule, SettingsModule],
  controllers: [AppointmentsController, AppointmentsApiController, ReceptionBoardController],
  providers: [AppointmentsService, AppointmentsRepository, AppointmentPages, AppointmentEvents],
  exports: [AppointmentsService, AppointmentEvents],
})
export class AppointmentsModule {}
