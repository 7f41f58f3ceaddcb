import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AppointmentEvents } from '../appointments/appointment-events';
import { AppointmentsService } from '../appointments/appointments.service';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../common/clock';
import { AppException } from '../common/errors/app-exception';
import { isId } from '../common/validation/ids';
import { t } from '../i18n/i18n';
import { type ClinicFacts, noShow } from '../outbox/notices';
import { OutboxService } from '../outbox/outbox.service';
import { periodInstants, reportFilter } from '../reports/report-filter';
import { SettingsService } from '../settings/settings.service';
import { TenantContext } from '../tenancy/tenant-context';
import { NoShowsRepository } from './no-shows.repository';
import type { Penalty, SweepReport } from './penalty';

/** Appointments marked in one transaction of the sweep; the sweep goes on in further ones until none is left. */
const SWEEP_BATCH = 200;
/** A no-show older than this when found (e.g. the first sweep after an upgrade) is recorded without a notice: news that late helps nobody. */
const NOTICE_WITHIN_MS = 48 * 3_600_000;

/**
 * No-shows: the sweep that closes appointments nobody closed, the one penalty per no-show (by the
 * clinic's setting), the notice to the patient, waiving and paying penalties, and undoing a
 * mistaken no-show.
 */
@Injectable()
export class NoShowsService implements OnModuleInit {
  constructor(
    private readonly repository: NoShowsRepository,
    private readonly appointments: AppointmentsService,
    private readonly events: AppointmentEvents,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // a no-show marked by a person gets its penalty and notice like one the sweep found
    this.events.register({ noShow: async (a) => void (await this.recorded(a.id, a.patientId, this.clock.now())) });
  }

  /**
   * One batch of the sweep, in the caller's clinic transaction: scheduled appointments that ended
   * more than the clinic's grace period ago become no-shows, each with its penalty and notice.
   * `more` says whether a full batch was marked (run another transaction for the rest).
   */
  async sweepBatch(now: Date): Promise<SweepReport & { more: boolean }> {
    const { automation } = await this.settings.get();
    const marked = await this.repository.markOverdue(new Date(now.getTime() - automation.noShowGraceMinutes * 60_000), now, SWEEP_BATCH);
    const clinic = marked.length > 0 ? await this.outbox.clinic() : undefined;
    let penalties = 0;
    let notices = 0;
    for (const a of marked) {
      const notify = new Date(a.endsAt).getTime() > now.getTime() - NOTICE_WITHIN_MS;
      const done = await this.recorded(a.id, a.patientId, now, { amount: automation.noShowPenalty, notify, clinic });
      penalties += done.penalty ? 1 : 0;
      notices += done.notice ? 1 : 0;
      this.appointments.invalidateBoardAt(new Date(a.startsAt));
      await this.audit.record({ action: 'appointment.no_show', actorId: null, entity: 'appointment', entityId: a.id, details: { from: 'scheduled', by: 'sweep' } });
    }
    return { marked: marked.length, penalties, notices, more: marked.length === SWEEP_BATCH };
  }

  /** The no-show's penalty and notice (each at most once, whoever asks how often). */
  private async recorded(
    appointmentId: string,
    patientId: string,
    now: Date,
    batch: { amount?: string; notify?: boolean; clinic?: ClinicFacts } = {},
  ): Promise<{ penalty: boolean; notice: boolean }> {
    const charge = batch.amount ?? (await this.settings.get()).automation.noShowPenalty;
    const penalty = (await this.repository.insertPenalty(appointmentId, patientId, charge, now)) !== null;
    const notify = batch.notify ?? true;
    const notice = notify && (await this.outbox.aboutAppointment(appointmentId, (c, a) => noShow(c, a, Number(charge) > 0 ? charge : null), batch.clinic)) !== null;
    return { penalty, notice };
  }

  /** A patient's penalties, newest first (404 for a patient this clinic does not have). */
  async penaltiesOf(patientId: string): Promise<Penalty[]> {
    if (!isId(patientId) || !(await this.repository.patientExists(patientId))) {
      throw new AppException('patient_not_found', 404, t('noShows:errors.noPatient'));
    }
    return this.repository.penaltiesOf(patientId);
  }

  async waive(actor: Principal, id: string, reason: string, ip: string | undefined): Promise<Penalty> {
    const penalty = await this.unsettled(id);
    await this.repository.settle(penalty.id, 'waived', actor.userId, this.clock.now(), reason);
    await this.audit.record({ action: 'penalty.waived', actorId: actor.userId, entity: 'penalty', entityId: id, details: { amount: penalty.amount, appointmentId: penalty.appointmentId, reason }, ip });
    return (await this.repository.penalty(id))!;
  }

  async pay(actor: Principal, id: string, ip: string | undefined): Promise<Penalty> {
    const penalty = await this.unsettled(id);
    await this.repository.settle(penalty.id, 'paid', actor.userId, this.clock.now(), null);
    await this.audit.record({ action: 'penalty.paid', actorId: actor.userId, entity: 'penalty', entityId: id, details: { amount: penalty.amount, appointmentId: penalty.appointmentId }, ip });
    return (await this.repository.penalty(id))!;
  }

  /**
   * Undoes a mistaken no-show (the owner): the appointment becomes checked in — the patient was
   * there, and the doctor can still complete the visit — and its penalty, if unsettled, is waived.
   */
  async reverse(actor: Principal, appointmentId: string, reason: string, ip: string | undefined) {
    const appointment = await this.appointments.get(appointmentId);
    if (!(await this.repository.reverse(appointment.id, this.clock.now()))) {
      throw new AppException('invalid_transition', 409, t('noShows:errors.notNoShow', { status: appointment.statusLabel.toLowerCase() }));
    }
    const penalty = await this.repository.penaltyOfAppointment(appointment.id);
    const waived = penalty?.status === 'unpaid' && (await this.repository.settle(penalty.id, 'waived', actor.userId, this.clock.now(), t('noShows:reversedReason', { reason }).slice(0, 500)));
    this.appointments.invalidateBoardAt(new Date(appointment.startsAt));
    await this.audit.record({
      action: 'appointment.no_show_reversed',
      actorId: actor.userId,
      entity: 'appointment',
      entityId: appointment.id,
      details: { reason, ...(waived ? { penaltyWaived: penalty.id } : {}) },
      ip,
    });
    return this.appointments.get(appointment.id);
  }

  /** The owner's no-show report for a period (and some doctors). */
  async metrics(query: { from?: string; to?: string; doctorId?: string[] }) {
    const zone = this.context.tenant.timeZone;
    const filter = reportFilter(query, this.clock.now(), zone);
    const { start, end } = periodInstants(filter, zone);
    const metrics = await this.repository.metrics(start, end, filter.doctorIds);
    const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 10);
    return {
      filter,
      ...metrics,
      noShowRate: rate(metrics.totals.noShows, metrics.totals.appointments),
      doctors: metrics.doctors.map((d) => ({ ...d, noShowRate: rate(d.noShows, d.appointments) })),
      unpaid: await this.repository.unpaid(50),
    };
  }

  private async unsettled(id: string): Promise<Penalty> {
    const penalty = isId(id) ? await this.repository.penalty(id, { lock: true }) : null;
    if (!penalty) throw new AppException('penalty_not_found', 404, t('noShows:errors.noPenalty'));
    if (penalty.status !== 'unpaid') {
      throw new AppException('invalid_transition', 409, penalty.status === 'paid' ? t('noShows:errors.alreadyPaid') : t('noShows:errors.alreadyWaived'));
    }
    return penalty;
  }
}
