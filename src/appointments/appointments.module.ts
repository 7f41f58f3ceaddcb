import { Module } from '@nestjs/common';

/** Booking, the slot list, the appointment lifecycle and the today board. */
@Module({})
export class AppointmentsModule {}
