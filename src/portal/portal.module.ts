import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { PrescriptionsModule } from '../prescriptions/prescriptions.module';
import { SettingsModule } from '../settings/settings.module';
import { VisitsModule } from '../visits/visits.module';
import { PortalApiController } from './portal.api.controller';
import { PortalController } from './portal.controller';
import { PortalPages } from './portal-pages.service';
import { PortalRepository } from './portal.repository';
import { PortalService } from './portal.service';

/** The patient portal: a patient's own visits, prescriptions, follow-ups and bookings. */
@Module({
  imports: [AppointmentsModule, VisitsModule, FollowUpsModule, PrescriptionsModule, SettingsModule],
  controllers: [PortalController, PortalApiController],
  providers: [PortalService, PortalRepository, PortalPages],
})
export class PortalModule {}
