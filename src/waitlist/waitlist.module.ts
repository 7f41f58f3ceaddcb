import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { LinksModule } from '../links/links.module';
import { OutboxModule } from '../outbox/outbox.module';
import { WaitlistApiController } from './waitlist.api.controller';
import { PortalWaitlistController, WaitlistController } from './waitlist.controller';
import { WaitlistPages } from './waitlist-pages.service';
import { WaitlistRepository } from './waitlist.repository';
import { WaitlistService } from './waitlist.service';

/** The waitlist: waiting for a doctor's freed time, offers through the outbox, first to accept gets it. */
@Module({
  imports: [AppointmentsModule, LinksModule, OutboxModule],
  controllers: [WaitlistController, PortalWaitlistController, WaitlistApiController],
  providers: [WaitlistService, WaitlistRepository, WaitlistPages],
  exports: [WaitlistService],
})
export class WaitlistModule {}
