import { Module } from '@nestjs/common';
import { AppointmentsApiController } from './appointments.api.controller';
import { AppointmentsRepository } from './appointments.repository';
import { AppointmentsService } from './appointments.service';

/** Booking, the slot list, the appointment lifecycle and the today board. */
@Module({
  controllers: [AppointmentsApiController],
  providers: [AppointmentsService, AppointmentsRepository],
  exports: [AppointmentsService],
})
export class AppointmentsModule {}
