import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { ClinicCache } from '../common/cache/clinic-cache.service';
import { CLOCK, type Clock } from '../common/clock';
import { calendarDay, localDate, localTime, localToday } from '../common/time';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { DashboardCache } from '../reports/dashboard-cache.service';
import { bookingConfirmation, cancellation } from '../outbox/notices';
import { OutboxService } from '../outbox/outbox.service';
import { SettingsService } from '../settings/settings.service';
import { TenantContext } from '../tenancy/tenant-context';
import { AppointmentEvents, type FreedSlot } from './appointment-events';
import { APPOINTMENT_STATUSES, type AppointmentStatus, canMove, canReschedule, refusalOf, statusLabel, statusState } from './appointment-status';
import { AppointmentException } from './appointments.exception';
import { type AppointmentRow, AppointmentsRepository, type DoctorDay } from './appointments.repository';
import { type DaySlots, daySlots, type Slot } from './slots';
import { isId } from '../common/validation/ids';
import { t } from '../i18n/i18n';

/** The today board's cache kind: `clinic:{<tenantId>}:today:<date>:g<generation>`. */
const BOARD_CACHE = 'today';

export interface BookingInput {
  readonly patientId: string;
  readonly doctorId: string;
  /** Local date and time in the clinic's time zone. */
  readonly date: string;
  readonly time: string;
  readonly cost?: string;
  readonly isPriority?: boolean;
  readonly notes?: string;
  /** The follow-up this booking fulfils. */
  readonly followUpId?: string;
}

export interface MoveInput {
  readonly date: string;
  readonly time: string;
  readonly doctorId?: string;
}

export interface SlotOptions {
  /** The appointment being moved: its own time is not "taken". */
  readonly exceptAppointment?: string;
  /** Times starting before this are not free (as if past). */
  readonly notBefore?: Date;
}

export type StatusChange = 'checked_in' | 'cancelled' | 'no_show';

/** Who changes an appointment: a signed-in user, or nobody signed in (a patient using a link from a notice). */
export interface Actor {
  readonly userId: string | null;
}

/** An appointment as pages and the API show it, times in the clinic's zone. */
export interface AppointmentView {
  readonly id: string;
  readonly patient: { readonly id: string; readonly fullName: string; readonly fileNumber: string };
  readonly doctor: { readonly id: string; readonly fullName: string };
  readonly startsAt: string;
  readonly endsAt: string;
  readonly date: string;
  readonly time: string;
  readonly endTime: string;
  readonly status: AppointmentStatus;
  readonly statusLabel: string;
  readonly isPriority: boolean;
  readonly cost: string | null;
  readonly notes: string | null;
  readonly cancelReason: string | null;
  /** Cancelled inside the online cut-off. */
  readonly lateCancellation: boolean;
  /** When the patient confirmed from the reminder, or null. */
  readonly confirmedAt: string | null;
}

export interface BoardDoctor {
  readonly id: string;
  readonly fullName: string;
  readonly appointments: AppointmentView[];
}

export interface TodayBoard {
  readonly date: string;
  readonly doctors: BoardDoctor[];
  readonly counts: Record<AppointmentStatus, number> & { total: number };
}

/** Booking and the appointment lifecycle: the rules of the front desk. */
@Injectable()
export class AppointmentsService {
  private readonly boardTtl: number;

  constructor(
    private readonly appointments: AppointmentsRepository,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    private readonly cache: ClinicCache,
    private readonly followUps: FollowUpsService,
    private readonly dashboard: DashboardCache,
    private readonly outbox: OutboxService,
    private readonly settings: SettingsService,
    private readonly events: AppointmentEvents,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.boardTtl = config.boardCacheSeconds;
  }

  /** The clinic's date today. */
  today(): string {
    return localToday(this.clock.now(), this.zone());
  }

  /**
   * The doctor's slots on a local date, for the slot pickers and the API. Times before `notBefore`
   * (the portal's notice period) are not free, like past ones.
   */
  async slots(doctorId: string, date: string, options: SlotOptions = {}): Promise<{ doctor: DoctorDay; day: DaySlots }> {
    const day = this.localDay(date);
    const doctor = await this.appointments.doctorDay(doctorId, date, day.weekday, day.from, day.to, options.exceptAppointment);
    if (!doctor) throw new AppointmentException('doctor_not_found', t('appointments:errors.noDoctor'), { doctorId: [t('appointments:fields.chooseDoctor')] });
    const now = this.clock.now();
    const earliest = options.notBefore && options.notBefore > now ? options.notBefore : now;
    const slots = daySlots({ date, zone: this.zone(), slotMinutes: doctor.slotMinutes, hours: doctor.hours, leave: doctor.leave, booked: doctor.booked, now: earliest });
    return { doctor, day: slots };
  }

  async book(actor: Actor, input: BookingInput, ip: string | undefined, options: Pick<SlotOptions, 'notBefore'> = {}): Promise<AppointmentView> {
    if (!(await this.appointments.patientExists(input.patientId))) {
      throw new AppointmentException('patient_not_found', t('appointments:errors.noPatient'), { patientId: [t('appointments:fields.choosePatient')] });
    }
    const { doctor, day } = await this.slots(input.doctorId, input.date, options);
    const slot = this.pick(doctor, day, input.time);
    const id = await this.appointments.insert({
      patientId: input.patientId,
      doctorId: doctor.id,
      startsAt: slot.startsAt,
      endsAt: slot.endsAt,
      cost: input.cost ?? doctor.fee,
      isPriority: input.isPriority ?? false,
      notes: input.notes?.trim() || null,
      createdBy: actor.userId,
      createdAt: this.clock.now(),
    });
    // a booking that committed after this request read the day: the database refused the overlap
    if (!id) throw slotTaken(doctor, input.time, day);
    if (input.followUpId) {
      const followUp = await this.followUps.markBooked(input.followUpId, id, actor.userId ?? undefined);
      if (followUp.patientId !== input.patientId) {
        throw new AppointmentException('invalid_appointment', t('appointments:errors.followUpOtherPatient'), { followUpId: [t('appointments:fields.followUpOwnPatient')] });
      }
    }
    this.invalidateBoard(input.date);
    await this.audit.record({
      action: 'appointment.booked',
      actorId: actor.userId,
      entity: 'appointment',
      entityId: id,
      details: { patientId: input.patientId, doctorId: doctor.id, startsAt: slot.startsAt.toISOString(), cost: input.cost ?? doctor.fee },
      ip,
    });
    await this.outbox.aboutAppointment(id, bookingConfirmation);
    return this.get(id);
  }

  async reschedule(actor: Principal, id: string, input: MoveInput, ip: string | undefined): Promise<AppointmentView> {
    const current = await this.locked(id);
    if (!canReschedule(current.status)) {
      throw new AppointmentException('invalid_transition', t('appointments:errors.onlyScheduledMoves', { state: statusState(current.status) }));
    }
    const { doctor, day } = await this.slots(input.doctorId ?? current.doctorId, input.date, { exceptAppointment: id });
    const slot = this.pick(doctor, day, input.time);
    if (!(await this.appointments.move(id, doctor.id, slot.startsAt, slot.endsAt))) throw slotTaken(doctor, input.time, day);
    await this.freed({ appointmentId: id, doctorId: current.doctorId, startsAt: new Date(current.startsAt), endsAt: new Date(current.endsAt) });
    await this.outbox.aboutAppointment(id, bookingConfirmation);
    this.invalidateBoard(localDate(current.startsAt, this.zone()));
    this.invalidateBoard(input.date);
    await this.audit.record({
      action: 'appointment.rescheduled',
      actorId: actor.userId,
      entity: 'appointment',
      entityId: id,
      details: { from: current.startsAt.toISOString(), to: slot.startsAt.toISOString(), doctorId: doctor.id },
      ip,
    });
    return this.get(id);
  }

  /**
   * Check-in, cancellation (with a reason) and no-show. `guard` sees the locked appointment first and
   * may refuse it: the patient portal's ownership and cut-off rules.
   */
  async changeStatus(
    actor: Actor,
    id: string,
    to: StatusChange,
    reason: string | undefined,
    ip: string | undefined,
    guard?: (current: AppointmentView) => void,
  ): Promise<AppointmentView> {
    const current = await this.locked(id);
    guard?.(this.view(current));
    if (!canMove(current.status, to)) throw new AppointmentException('invalid_transition', refusalOf(current.status, to));
    const now = this.clock.now();
    const day = localDate(current.startsAt, this.zone());
    if (to === 'checked_in' && day !== this.today()) {
      throw new AppointmentException('invalid_transition', t('appointments:errors.checkInOnDay', { date: day }));
    }
    if (to === 'no_show' && current.startsAt > now) {
      throw new AppointmentException('invalid_transition', t('appointments:errors.notStarted'));
    }
    const cancelReason = to === 'cancelled' ? reason?.trim() : undefined;
    if (to === 'cancelled' && !cancelReason) {
      throw new AppointmentException('invalid_appointment', t('appointments:errors.reasonRequired'), { reason: [t('appointments:fields.reasonRequired')] });
    }
    // cancelled inside the portal's cut-off (by phone, at the desk): a late cancellation, recorded as such
    const lateCancellation = to === 'cancelled' && now.getTime() >= current.startsAt.getTime() - (await this.settings.get()).portal.cancelCutoffHours * 3_600_000;
    await this.appointments.setStatus(id, to, now, { cancelReason, lateCancellation, actorId: actor.userId });
    this.invalidateBoard(day);
    await this.audit.record({
      action: `appointment.${to}`,
      actorId: actor.userId,
      entity: 'appointment',
      entityId: id,
      details: { from: current.status, ...(cancelReason ? { reason: cancelReason } : {}), ...(lateCancellation ? { lateCancellation } : {}) },
      ip,
    });
    if (to === 'cancelled') {
      await this.outbox.aboutAppointment(id, (clinic, a) => cancellation(clinic, a, cancelReason ?? null));
      await this.freed({ appointmentId: id, doctorId: current.doctorId, startsAt: new Date(current.startsAt), endsAt: new Date(current.endsAt) });
    }
    if (to === 'no_show') await this.events.noShow({ id, patientId: current.patientId });
    return this.get(id);
  }

  async get(id: string): Promise<AppointmentView> {
    const row = isId(id) ? await this.appointments.find(id) : null;
    if (!row) throw notFound();
    return this.view(row);
  }

  /** One local day's appointments, optionally for one doctor or one status. */
  async day(date: string, filter: { doctorId?: string; status?: AppointmentStatus } = {}): Promise<AppointmentView[]> {
    const { from, to } = this.localDay(date);
    return (await this.appointments.between(from, to, filter)).map((row) => this.view(row));
  }

  /** The front desk's board for a day (today by default), from the cache unless the day changed since. */
  board(date = this.today()): Promise<TodayBoard> {
    const load = async (): Promise<TodayBoard> => {
      const appointments = await this.day(date);
      const doctors: BoardDoctor[] = [];
      for (const a of appointments) {
        const last = doctors.at(-1);
        if (last?.id === a.doctor.id) last.appointments.push(a);
        else doctors.push({ ...a.doctor, appointments: [a] });
      }
      const counts = Object.fromEntries(APPOINTMENT_STATUSES.map((s) => [s, appointments.filter((a) => a.status === s).length])) as TodayBoard['counts'];
      return { date, doctors, counts: { ...counts, total: appointments.length } };
    };
    // every change to the day's appointments makes the cached board stale at once (invalidateBoard)
    return this.boardTtl > 0 ? this.cache.rememberVersioned(BOARD_CACHE, date, this.boardTtl, load) : load();
  }

  doctors() {
    return this.appointments.doctors();
  }

  patient(patientId: string) {
    return this.appointments.patientSummary(patientId);
  }

  private zone(): string {
    return this.context.tenant.timeZone;
  }

  /** The instants a local date spans in the clinic's zone (23 or 25 hours on a daylight-saving day). */
  private localDay(date: string): { from: Date; to: Date; weekday: number } {
    const start = calendarDay(date, this.zone());
    if (!start) {
      throw new AppointmentException('invalid_appointment', t('appointments:errors.notADate'), { date: [t('appointments:fields.dateFormat')] });
    }
    return { from: start.toJSDate(), to: start.plus({ days: 1 }).toJSDate(), weekday: start.weekday };
  }

  /** The slot at `time`, refused in words when the doctor is away, the time is outside hours or past, or taken. */
  private pick(doctor: DoctorDay, day: DaySlots, time: string): Slot {
    if (!doctor.isActive) throw unavailable(t('appointments:errors.doctorInactive', { doctor: doctor.fullName }), 'doctorId');
    if (day.onLeave) throw unavailable(t('appointments:errors.onLeave', { doctor: doctor.fullName, date: day.date }), 'date');
    const slot = day.slots.find((s) => s.time === time);
    if (!slot) {
      const values = { time, doctor: doctor.fullName, date: day.date };
      throw unavailable(
        day.slots.length
          ? t('appointments:errors.notASlot', { ...values, from: day.slots[0].time, to: localTime(day.slots.at(-1)!.endsAt, this.zone()) })
          : t('appointments:errors.notASlotNoHours', values),
        'time',
      );
    }
    if (slot.taken === 'past') throw unavailable(t('appointments:errors.past', { date: day.date, time }), 'time');
    if (slot.taken === 'booked') throw slotTaken(doctor, time, day);
    return slot;
  }

  /** A time that is still ahead became free: the waitlist hears of it. */
  private async freed(slot: FreedSlot): Promise<void> {
    if (slot.startsAt > this.clock.now()) await this.events.slotFreed(slot);
  }

  private async locked(id: string): Promise<AppointmentRow> {
    const row = isId(id) ? await this.appointments.lock(id) : null;
    if (!row) throw notFound();
    return row;
  }

  /** Marks a day's today board stale once this transaction commits (for any change to that day's appointments). */
  invalidateBoard(date: string): void {
    if (this.boardTtl > 0) this.cache.invalidateAfterCommit(BOARD_CACHE, date, this.boardTtl);
    // every change to an appointment (booking, status, a completed visit's invoice) may move the owner's numbers
    this.dashboard.invalidate();
  }

  /** The board-day of an instant: its local date in the clinic's zone. */
  invalidateBoardAt(at: Date): void {
    this.invalidateBoard(localDate(at, this.zone()));
  }

  private view(row: AppointmentRow): AppointmentView {
    const zone = this.zone();
    const startsAt = new Date(row.startsAt);
    return {
      id: row.id,
      patient: { id: row.patientId, fullName: row.patientName, fileNumber: row.fileNumber },
      doctor: { id: row.doctorId, fullName: row.doctorName },
      startsAt: startsAt.toISOString(),
      endsAt: new Date(row.endsAt).toISOString(),
      date: localDate(startsAt, zone),
      time: localTime(startsAt, zone),
      endTime: localTime(new Date(row.endsAt), zone),
      status: row.status,
      statusLabel: statusLabel(row.status),
      isPriority: row.isPriority,
      cost: row.cost,
      notes: row.notes,
      cancelReason: row.cancelReason,
      lateCancellation: row.lateCancellation,
      confirmedAt: row.confirmedAt ? new Date(row.confirmedAt).toISOString() : null,
    };
  }
}

const notFound = () => new AppointmentException('appointment_not_found', t('appointments:errors.notFound'));

function unavailable(message: string, field: string): AppointmentException {
  return new AppointmentException('slot_unavailable', message, { [field]: [message] });
}

/** The refusal of a taken time, offering the free times nearest to it that day. */
function slotTaken(doctor: DoctorDay, time: string, day: DaySlots): AppointmentException {
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const nearest = day.slots
    .filter((s) => s.free && s.time !== time)
    .sort((a, b) => Math.abs(minutes(a.time) - minutes(time)) - Math.abs(minutes(b.time) - minutes(time)))
    .slice(0, 6)
    .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
    .map((s) => s.time);
  const message = t('appointments:errors.slotTaken', { doctor: doctor.fullName, time });
  const offer = nearest.length ? t('appointments:errors.freeNearby', { times: nearest.join(', ') }) : t('appointments:errors.noFreeLeft');
  return new AppointmentException('slot_taken', message, { time: [message, offer] });
}
