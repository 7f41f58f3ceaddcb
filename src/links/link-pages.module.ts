import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { RemindersModule } from '../reminders/reminders.module';
import { WaitlistModule } from '../waitlist/waitlist.module';
import { LinkPagesController } from './link-pages.controller';
import { LinksModule } from './links.module';

/** The pages behind notices' links: confirm or cancel from a reminder, take a waitlist offer. */
@Module({
  imports: [LinksModule, AppointmentsModule, RemindersModule, WaitlistModule],
  controllers: [LinkPagesController],
})
export class LinkPagesModule {}
