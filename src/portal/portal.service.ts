import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { PortalRepository } from './portal.repository';

/** What a patient sees of their own file. A patient only ever reaches records through their own file id, taken from their session. */
@Injectable()
export class PortalService {
  constructor(
    private readonly portal: PortalRepository,
    private readonly followUps: FollowUpsService,
  ) {}

  async home(patient: Principal) {
    const patientId = await this.portal.patientIdOf(patient.userId);
    const followUps = patientId ? (await this.followUps.forPatient(patientId)).filter((f) => f.status === 'open') : [];
    return { title: 'My visits', hasFile: patientId !== null, followUps };
  }
}
