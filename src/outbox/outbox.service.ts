import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import { displayPhone } from '../common/phone';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { clinicUrl } from '../platform/clinic-url';
import { SettingsService } from '../settings/settings.service';
import { TenantContext } from '../tenancy/tenant-context';
import type { Notice } from './notice';
import type { AppointmentFacts, ClinicFacts } from './notices';
import { OutboxRepository } from './outbox.repository';
import { OutboxSender } from './outbox-sender.service';

/**
 * Queues notices in the current clinic transaction: a notice exists exactly when the change that
 * caused it commits, and its dedupe key makes a second one impossible. Delivery is the sender's.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly outbox: OutboxRepository,
    private readonly context: TenantContext,
    private readonly sender: OutboxSender,
    private readonly settings: SettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Queues `notice` (kept as skipped when there is no address to send it to). The new row's id, or
   * null when that notice was queued before. Once committed, this process starts delivering it.
   */
  async enqueue(notice: Notice): Promise<string | null> {
    const id = await this.outbox.insert(notice, notice.recipient ? 'pending' : 'skipped', this.clock.now());
    if (id && notice.recipient) {
      const tenant = this.context.tenant;
      this.context.afterCommit(async () => this.sender.kick(tenant));
    }
    return id;
  }

  /** The clinic as notices name it (a batch of notices asks once and passes it to `aboutAppointment`). */
  async clinic(): Promise<ClinicFacts> {
    const tenant = this.context.tenant;
    const { contactPhone, address } = await this.settings.get();
    return {
      name: tenant.displayName,
      phone: contactPhone ? displayPhone(contactPhone, tenant.phoneRegion) : null,
      address,
      url: clinicUrl(this.config, tenant.slug),
      zone: tenant.timeZone,
      currency: tenant.currency,
      language: tenant.language,
    };
  }

  /** The appointment as notices name it (its patient's address included), or null if there is none. */
  async appointment(id: string): Promise<AppointmentFacts | null> {
    const rows: (Omit<AppointmentFacts, 'startsAt'> & { startsAt: Date | string })[] = await this.context.manager.query(
      `SELECT a.id::text AS id, a.patient_id::text AS "patientId", p.first_name || ' ' || p.last_name AS "patientName", p.email,
              du.full_name AS "doctorName", a.starts_at AS "startsAt"
         FROM appointments a JOIN patients p ON p.id = a.patient_id JOIN doctors d ON d.id = a.doctor_id JOIN users du ON du.id = d.user_id
        WHERE a.id = $1`,
      [id],
    );
    const row = rows[0];
    return row ? { ...row, startsAt: new Date(row.startsAt) } : null;
  }

  /** Builds (from the clinic, read unless given, and the appointment) and queues a notice about an appointment. */
  async aboutAppointment(
    appointmentId: string,
    build: (clinic: ClinicFacts, appointment: AppointmentFacts) => Notice,
    clinic?: ClinicFacts,
  ): Promise<string | null> {
    const appointment = await this.appointment(appointmentId);
    if (!appointment) return null;
    return this.enqueue(build(clinic ?? (await this.clinic()), appointment));
  }
}
