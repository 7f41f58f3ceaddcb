import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { FormModelProvider } from '../auth/access.decorator';
import { safeNext } from '../auth/safe-redirect';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../common/clock';
import { APPOINTMENT_STATUSES, type AppointmentStatus, canMove, canReschedule, statusLabel } from './appointment-status';
import { type AppointmentView, AppointmentsService, type TodayBoard } from './appointments.service';
import { isId } from '../common/validation/ids';
import { t } from '../i18n/i18n';

export interface BookingQuery {
  readonly patientId?: string;
  readonly followUpId?: string;
  readonly doctorId?: string;
  readonly date?: string;
  readonly next?: string;
}

/** The view models of the front desk's appointment pages (the rules stay in AppointmentsService). */
@Injectable()
export class AppointmentPages implements FormModelProvider {
  constructor(
    private readonly appointments: AppointmentsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async dayList(date: string | undefined, doctorId: string | undefined, status: AppointmentStatus | undefined) {
    const day = date ?? this.appointments.today();
    const [appointments, doctors] = await Promise.all([this.appointments.day(day, { doctorId, status }), this.appointments.doctors()]);
    return {
      title: t('appointments:title.list'),
      date: day,
      appointments: appointments.map((a) => this.row(a)),
      doctors: doctors.map((d) => ({ ...d, selected: d.id === doctorId })),
      statuses: APPOINTMENT_STATUSES.map((s) => ({ value: s, label: statusLabel(s), selected: s === status })),
    };
  }

  /** The booking form for a patient; `values` fill it (the query on first show, the typed values on a refusal). */
  async bookingForm(query: BookingQuery, values: Record<string, unknown> = {}) {
    const patientId = String(values.patientId ?? query.patientId ?? '');
    const doctorId = String(values.doctorId ?? query.doctorId ?? '');
    const [patient, doctors] = await Promise.all([
      isId(patientId) ? this.appointments.patient(patientId) : null,
      this.appointments.doctors(),
    ]);
    const date = String(values.date ?? query.date ?? this.appointments.today());
    const time = typeof values.time === 'string' ? values.time : undefined;
    return {
      title: t('appointments:title.book'),
      patient,
      doctors: doctors.map((d) => ({ ...d, selected: d.id === doctorId })),
      today: this.appointments.today(),
      values: { ...values, patientId, doctorId, date, time: time ?? '', followUpId: String(values.followUpId ?? query.followUpId ?? '') },
      picker: await this.slotPicker(doctorId || undefined, date, time).catch(() => ({ prompt: t('appointments:booking.pickPrompt') })),
      next: String(values.next ?? query.next ?? ''),
    };
  }

  /** A refused booking is shown again with the doctors, the patient and the day's slots. */
  formModel(req: Request) {
    return this.bookingForm({}, { ...(req.body as Record<string, unknown>) });
  }

  /** The slot picker for one doctor and day (an HTMX fragment of the booking and moving forms). */
  async slotPicker(doctorId: string | undefined, date: string | undefined, selected: string | undefined, exceptAppointment?: string) {
    if (!doctorId || !date) return { prompt: t('appointments:booking.pickPrompt') };
    const { doctor, day } = await this.appointments.slots(doctorId, date, { exceptAppointment });
    const free = day.slots.filter((s) => s.free);
    return {
      doctor: doctor.fullName,
      fee: doctor.fee,
      date,
      onLeave: day.onLeave,
      slots: day.slots.map((s) => ({ time: s.time, free: s.free, checked: s.free && s.time === selected, taken: s.taken })),
      noneFree: !day.onLeave && free.length === 0,
      workingDay: day.slots.length > 0,
    };
  }

  async detail(id: string) {
    const appointment = await this.appointments.get(id);
    return {
      title: t('appointments:title.detail', { date: appointment.date, time: appointment.time }),
      appointment: this.row(appointment),
      doctors: (await this.appointments.doctors()).map((d) => ({ ...d, selected: d.id === appointment.doctor.id })),
      today: this.appointments.today(),
    };
  }

  async board(): Promise<TodayBoard & { title: string; statuses: { value: string; label: string; count: number }[] }> {
    const board = await this.appointments.board();
    return {
      ...board,
      title: t('appointments:title.board'),
      doctors: board.doctors.map((d) => ({ ...d, appointments: d.appointments.map((a) => this.row(a)) })),
      statuses: APPOINTMENT_STATUSES.map((s) => ({ value: s, label: statusLabel(s), count: board.counts[s] })),
    };
  }

  /** Where a booking returns to: a safe `next` (a patient's profile, say), else the new appointment. */
  afterBooking(actor: Principal, next: string | undefined, appointment: AppointmentView): string {
    return next ? safeNext(next, actor.role) : `/appointments/${appointment.id}`;
  }

  /** An appointment with the actions its status allows (and its status in this request's language: the board is cached across readers). */
  private row(a: AppointmentView) {
    return {
      ...a,
      statusLabel: statusLabel(a.status),
      canCheckIn: canMove(a.status, 'checked_in') && a.date === this.appointments.today(),
      canCancel: canMove(a.status, 'cancelled'),
      canNoShow: canMove(a.status, 'no_show') && a.status === 'scheduled' && new Date(a.startsAt) <= this.clock.now(),
      canReschedule: canReschedule(a.status),
    };
  }
}
