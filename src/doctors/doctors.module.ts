import { Module } from '@nestjs/common';

/** Doctors' calendars: specialty, fee, slot length, weekly hours and leave. */
@Module({})
export class DoctorsModule {}
