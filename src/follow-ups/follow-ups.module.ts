import { Module } from '@nestjs/common';
import { FollowUpsApiController } from './follow-ups.api.controller';
import { FollowUpsController } from './follow-ups.controller';
import { FollowUpsRepository } from './follow-ups.repository';
import { FollowUpsService } from './follow-ups.service';

/**
 * Follow-ups a doctor asks for, until reception books or dismisses them. Exports
 * `FollowUpsService`: `markBooked(followUpId, appointmentId)` for the booking code, and
 * `forPatient(patientId)` for the patient portal.
 */
@Module({
  controllers: [FollowUpsController, FollowUpsApiController],
  providers: [FollowUpsService, FollowUpsRepository],
  exports: [FollowUpsService],
})
export class FollowUpsModule {}
