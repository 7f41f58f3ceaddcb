import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../common/clock';
import { TenantContext } from '../tenancy/tenant-context';
import type { FollowUp, FollowUpStatus } from './follow-up';
import { followUpClosed, followUpNotFound } from './follow-ups.exception';
import { FollowUpsRepository } from './follow-ups.repository';
import { ID_PATTERN as ID } from '../common/validation/ids';


/** A row of reception's panel: the follow-up, whether it is overdue, and where "Book" goes. */
export interface FollowUpItem extends FollowUp {
  readonly overdue: boolean;
  readonly bookHref: string;
}

/**
 * Follow-ups the doctor asks for when completing a visit: open until reception books or dismisses
 * them. Other features use `markBooked` (booking) and `forPatient` (the portal).
 */
@Injectable()
export class FollowUpsService {
  constructor(
    private readonly context: TenantContext,
    private readonly repository: FollowUpsRepository,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  list(status: FollowUpStatus = 'open'): Promise<FollowUp[]> {
    return this.repository.list(status);
  }

  /** The open follow-ups for the front desk, due date first, with the overdue ones marked. */
  async openItems(): Promise<{ today: string; items: FollowUpItem[] }> {
    const today = this.today();
    const open = await this.repository.list('open');
    const items = open.map((f) => {
      const overdue = f.dueOn < today;
      // An overdue follow-up is booked from today: the booking form offers no times in the past.
      const date = overdue ? today : f.dueOn;
      const query = new URLSearchParams({ patientId: f.patientId, doctorId: f.doctorId, date, followUpId: f.id, next: '/reception' });
      return { ...f, overdue, bookHref: `/appointments/new?${query.toString()}` };
    });
    return { today, items };
  }

  /** A patient's follow-ups, newest first (for the patient portal). */
  forPatient(patientId: string): Promise<FollowUp[]> {
    if (!ID.test(patientId)) return Promise.resolve([]);
    return this.repository.forPatient(patientId);
  }

  /** 404 for an id this clinic does not have, 409 when it is no longer open. Audited. */
  async dismiss(actor: Principal, id: string, ip?: string): Promise<FollowUp> {
    const followUp = await this.close(id, 'dismissed', null);
    await this.audit.record({ action: 'follow_up.dismissed', actorId: actor.userId, entity: 'follow_up', entityId: followUp.id, details: { patientId: followUp.patientId, dueOn: followUp.dueOn }, ip });
    return followUp;
  }

  /**
   * For the booking code: call in the same transaction that creates `appointmentId`, so that the
   * follow-up leaves reception's list exactly when the appointment exists. 404/409 like `dismiss`.
   */
  async markBooked(followUpId: string, appointmentId: string, actorId?: string): Promise<FollowUp> {
    const followUp = await this.close(followUpId, 'booked', appointmentId);
    await this.audit.record({ action: 'follow_up.booked', actorId: actorId ?? null, entity: 'follow_up', entityId: followUp.id, details: { appointmentId } });
    return followUp;
  }

  private async close(id: string, status: 'booked' | 'dismissed', appointmentId: string | null): Promise<FollowUp> {
    if (!ID.test(id)) throw followUpNotFound();
    if (!(await this.repository.close(id, status, appointmentId))) {
      const current = await this.repository.get(id);
      throw current ? followUpClosed(current.status) : followUpNotFound();
    }
    return (await this.repository.get(id))!;
  }

  private today(): string {
    return DateTime.fromJSDate(this.clock.now(), { zone: this.context.tenant.timeZone }).toISODate()!;
  }
}
