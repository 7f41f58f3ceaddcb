import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { OutboxModule } from '../outbox/outbox.module';
import { SettingsModule } from '../settings/settings.module';
import { NoShowPages } from './no-show-pages.service';
import { NoShowsApiController } from './no-shows.api.controller';
import { NoShowsController } from './no-shows.controller';
import { NoShowsRepository } from './no-shows.repository';
import { NoShowsService } from './no-shows.service';

/** No-shows: the sweep, penalties, notices, reversal and the owner's report. */
@Module({
  imports: [AppointmentsModule, OutboxModule, SettingsModule],
  controllers: [NoShowsController, NoShowsApiController],
  providers: [NoShowsService, NoShowsRepository, NoShowPages],
  exports: [NoShowsService, NoShowPages],
})
export class NoShowsModule {}
