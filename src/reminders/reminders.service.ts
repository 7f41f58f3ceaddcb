import { Inject, Injectable } from '@nestjs/common';
import { AppointmentsService, type AppointmentView } from '../appointments/appointments.service';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { AppException } from '../common/errors/app-exception';
import { displayPhone } from '../common/phone';
import { t, translate } from '../i18n/i18n';
import type { ActionLink } from '../links/action-link';
import { ActionLinks } from '../links/action-links.service';
import { reminder } from '../outbox/notices';
import { OutboxService } from '../outbox/outbox.service';
import { cancelRefusal } from '../portal/portal-rules';
import { SettingsService } from '../settings/settings.service';
import { TenantContext } from '../tenancy/tenant-context';
import { RemindersRepository } from './reminders.repository';

/** How long before its start an appointment is reminded of. */
export const REMINDER_HOURS = 24;
const BATCH = 200;

/**
 * The 24-hour reminders: queued by the sweep, each with a signed single-use link (valid until the
 * appointment starts) that confirms or cancels without signing in. Cancelling that way follows the
 * portal's cut-off, like cancelling in the portal.
 */
@Injectable()
export class RemindersService {
  constructor(
    private readonly reminders: RemindersRepository,
    private readonly appointments: AppointmentsService,
    private readonly links: ActionLinks,
    private readonly outbox: OutboxService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** One batch, in the caller's clinic transaction. `more`: a full batch was taken (run another). */
  async queueBatch(now: Date): Promise<{ queued: number; more: boolean }> {
    if (!(await this.settings.get()).automation.remindersEnabled) return { queued: 0, more: false };
    const due = await this.reminders.takeDue(now, REMINDER_HOURS, BATCH);
    const clinic = due.length > 0 ? await this.outbox.clinic() : undefined;
    for (const a of due) {
      const link = await this.links.create({ purpose: 'reminder', appointmentId: a.id, expiresAt: new Date(a.startsAt) });
      await this.outbox.aboutAppointment(a.id, (c, facts) => reminder(c, facts, link), clinic);
    }
    return { queued: due.length, more: due.length === BATCH };
  }

  /** The patient is coming. */
  async confirm(link: ActionLink, ip: string | undefined): Promise<AppointmentView> {
    const appointment = await this.appointments.get(link.appointmentId!);
    if (!(await this.reminders.confirm(appointment.id, this.clock.now()))) {
      throw new AppException('invalid_transition', 409, t('notices:reminder.nothingToConfirm', { status: appointment.statusLabel.toLowerCase() }));
    }
    await this.links.used(link.id, 'confirmed');
    this.appointments.invalidateBoardAt(new Date(appointment.startsAt));
    await this.audit.record({ action: 'appointment.confirmed', actorId: null, entity: 'appointment', entityId: appointment.id, details: { via: 'reminder link' }, ip });
    return this.appointments.get(appointment.id);
  }

  /** The patient cannot come: cancelled, if still before the portal's cut-off (otherwise: call the clinic). */
  async cancel(link: ActionLink, ip: string | undefined): Promise<AppointmentView> {
    const settings = await this.settings.get();
    const { timeZone: zone, phoneRegion, language } = this.context.tenant;
    const phone = settings.contactPhone && displayPhone(settings.contactPhone, phoneRegion);
    // recorded with the appointment and told in the cancellation notice: in the clinic's language, like the notice
    const reason = translate(language, 'notices:reminder.cancelReason');
    const cancelled = await this.appointments.changeStatus({ userId: null }, link.appointmentId!, 'cancelled', reason, ip, (current) => {
      const refusal = cancelRefusal(settings.portal, { status: current.status, startsAt: new Date(current.startsAt) }, this.clock.now(), zone, phone);
      if (refusal) throw new AppException('cancel_refused', 422, refusal.message);
    });
    await this.links.used(link.id, 'cancelled');
    return cancelled;
  }
}
