import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { LinksModule } from '../links/links.module';
import { OutboxModule } from '../outbox/outbox.module';
import { SettingsModule } from '../settings/settings.module';
import { RemindersRepository } from './reminders.repository';
import { RemindersService } from './reminders.service';

/** The 24-hour reminders and what their links do (confirm, cancel). */
@Module({
  imports: [AppointmentsModule, LinksModule, OutboxModule, SettingsModule],
  providers: [RemindersService, RemindersRepository],
  exports: [RemindersService],
})
export class RemindersModule {}
