import { Module } from '@nestjs/common';
import { AppointmentsModule } from '../appointments/appointments.module';
import { VisitPages } from './visit-pages.service';
import { VisitsApiController } from './visits.api.controller';
import { VisitsController } from './visits.controller';
import { VisitsRepository } from './visits.repository';
import { VisitsService } from './visits.service';

/** The visit record: completing a visit (consultation, prescriptions, requirements, invoice, follow-up) and amendments. */
@Module({
  imports: [AppointmentsModule],
  controllers: [VisitsController, VisitsApiController],
  providers: [VisitsService, VisitsRepository, VisitPages],
  exports: [VisitsService],
})
export class VisitsModule {}
