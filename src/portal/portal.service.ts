import { Inject, Injectable } from '@nestjs/common';
import { statusLabel } from '../appointments/appointment-status';
import { AppointmentsService } from '../appointments/appointments.service';
import type { Slot } from '../appointments/slots';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../common/clock';
import { displayPhone } from '../common/phone';
import { calendarDay, localDate, localInstant, localTime } from '../common/time';
import type { FollowUp } from '../follow-ups/follow-up';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import type { PaperSize, PrescriptionSheet } from '../prescriptions/prescription';
import { PrescriptionsService } from '../prescriptions/prescriptions.service';
import type { PortalRules } from '../settings/clinic-settings';
import { SettingsService } from '../settings/settings.service';
import { TenantContext } from '../tenancy/tenant-context';
import { isId } from '../common/validation/ids';
import { t, translate } from '../i18n/i18n';
import { VisitsService } from '../visits/visits.service';
import { bookingRefusal, cancelDeadline, cancelRefusal, earliestBookable, lastBookableDay } from './portal-rules';
import { appointmentNotFound, noPatientFile, PortalException } from './portal.exception';
import { type PatientFile, type PortalAppointmentRow, PortalRepository } from './portal.repository';

/** One of the patient's appointments as the portal and its API show it. Times are the clinic's. */
export interface PortalAppointment {
  readonly id: string;
  readonly doctor: { readonly id: string; readonly fullName: string; readonly specialty: string | null };
  readonly startsAt: string;
  readonly endsAt: string;
  readonly date: string;
  readonly time: string;
  readonly endTime: string;
  readonly status: string;
  readonly statusLabel: string;
  readonly cost: string | null;
  /** Still ahead: scheduled or checked in, and not over. */
  readonly upcoming: boolean;
  readonly canCancel: boolean;
  /** Until when (local `YYYY-MM-DD HH:MM`) it can be cancelled online, while it can. */
  readonly cancelUntil: string | null;
  /** Why it cannot be cancelled online, for an upcoming one that cannot. */
  readonly cancelRefusal: string | null;
  /** A completed visit has a record (diagnosis, prescriptions…). */
  readonly hasRecord: boolean;
  readonly hasPrescription: boolean;
}

/** What the patient sees of a completed visit: the diagnosis, prescriptions, requirements, invoice and follow-up (not the doctor's notes). */
export interface PortalVisitRecord {
  readonly diagnosis: string;
  readonly prescriptions: { position: number; medicationName: string; dosage: string; duration: string; instructions: string }[];
  readonly requirements: { kind: string; kindLabel: string; description: string }[];
  readonly invoice: { number: string; amount: string; currency: string; status: string; statusLabel: string } | null;
  readonly followUp: { dueOn: string; note: string; status: string } | null;
}


const INVOICE_STATUSES = ['pending', 'partial', 'paid', 'void'];
/** An invoice's status in words (an unknown one as it is stored). */
const invoiceLabel = (status: string): string => (INVOICE_STATUSES.includes(status) ? t(`portal:invoiceStatus.${status}`) : status);
const PAST_PAGE = 20;

/**
 * The patient portal's rules. A patient reaches records only through their own file, found from the
 * session's user: every id in a request is looked up within that file, and anything else is "not found".
 */
@Injectable()
export class PortalService {
  constructor(
    private readonly portal: PortalRepository,
    private readonly appointments: AppointmentsService,
    private readonly visits: VisitsService,
    private readonly followUps: FollowUpsService,
    private readonly settings: SettingsService,
    private readonly prescriptions: PrescriptionsService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  file(patient: Principal): Promise<PatientFile | null> {
    return this.portal.fileOf(patient.userId);
  }

  /** The patient's upcoming appointments and one page of past ones (newest first). */
  async appointmentsOf(patient: Principal, page = 1) {
    const file = await this.requireFile(patient);
    const now = this.clock.now();
    const { rules, phone } = await this.clinicTerms();
    const offset = (Math.max(1, page) - 1) * PAST_PAGE;
    const upcoming = await this.portal.upcoming(file.id, now);
    const past = await this.portal.past(file.id, now, PAST_PAGE + 1, offset);
    const view = (row: PortalAppointmentRow) => this.view(row, rules, now, phone);
    return { file, upcoming: upcoming.map(view), past: past.slice(0, PAST_PAGE).map(view), hasMorePast: past.length > PAST_PAGE };
  }

  async appointment(patient: Principal, id: string): Promise<PortalAppointment> {
    const file = await this.requireFile(patient);
    const row = isId(id) ? await this.portal.appointment(file.id, id) : null;
    if (!row) throw appointmentNotFound();
    const { rules, phone } = await this.clinicTerms();
    return this.view(row, rules, this.clock.now(), phone);
  }

  /** The appointment and, once the visit is completed, what the patient may read of its record. */
  async visit(patient: Principal, id: string): Promise<{ appointment: PortalAppointment; record: PortalVisitRecord | null }> {
    const appointment = await this.appointment(patient, id);
    if (!appointment.hasRecord) return { appointment, record: null };
    const file = (await this.file(patient))!;
    const visit = await this.visits.ofPatient(file.id, appointment.id);
    const currency = this.context.tenant.currency;
    return {
      appointment,
      record: {
        diagnosis: visit.consultation?.diagnosis ?? '',
        prescriptions: visit.prescriptions,
        requirements: visit.requirements.map(({ kind, kindLabel, description }) => ({ kind, kindLabel, description })),
        invoice: visit.invoice && { ...visit.invoice, currency, statusLabel: invoiceLabel(visit.invoice.status) },
        followUp: visit.followUp,
      },
    };
  }

  /** The prescription of one of the patient's own completed visits, for the print page. */
  async prescription(patient: Principal, id: string): Promise<PrescriptionSheet> {
    return this.prescriptions.sheet(id, { patientId: (await this.requireFile(patient)).id });
  }

  async prescriptionPdf(patient: Principal, id: string, size: PaperSize): Promise<{ fileName: string; content: Buffer }> {
    return this.prescriptions.pdf(id, size, { patientId: (await this.requireFile(patient)).id });
  }

  /** The patient's open follow-ups, due date first. */
  async openFollowUps(patient: Principal): Promise<FollowUp[]> {
    const file = await this.file(patient);
    if (!file) return [];
    return (await this.followUps.forPatient(file.id)).filter((f) => f.status === 'open').sort((a, b) => a.dueOn.localeCompare(b.dueOn));
  }

  /** The portal's rules as they stand for this patient now: whether they may book at all, and the window of days. */
  async bookingTerms(patient: Principal) {
    const file = await this.requireFile(patient);
    const { rules, phone, phoneTel, refusal } = await this.standing(file);
    const now = this.clock.now();
    const zone = this.zone();
    return { rules, phone, phoneTel, refusal: refusal?.message ?? null, firstDay: localDate(earliestBookable(rules, now), zone), lastDay: lastBookableDay(rules, now, zone) };
  }

  doctors() {
    return this.appointments.doctors();
  }

  /** The times the patient may book with a doctor on a day: free, far enough ahead, within the window. */
  async slots(doctorId: string, date: string): Promise<{ doctor: { id: string; fullName: string; fee: string }; date: string; onLeave: boolean; outsideWindow: boolean; slots: Slot[] }> {
    const { rules } = await this.clinicTerms();
    const now = this.clock.now();
    const { doctor, day } = await this.appointments.slots(doctorId, date, { notBefore: earliestBookable(rules, now) });
    const outsideWindow = date > lastBookableDay(rules, now, this.zone());
    return {
      doctor: { id: doctor.id, fullName: doctor.fullName, fee: doctor.fee },
      date,
      onLeave: day.onLeave,
      outsideWindow,
      slots: outsideWindow || !doctor.isActive ? [] : day.slots.filter((s) => s.free),
    };
  }

  /**
   * Books for the patient's own file, by the clinic's portal rules, with the front desk's slot rules.
   * The patient's file is locked first, so two bookings at once cannot both pass the limit. Booking
   * with a doctor who asked to see the patient again closes that follow-up in the same transaction.
   */
  async book(patient: Principal, input: { doctorId: string; date: string; time: string }, ip: string | undefined): Promise<PortalAppointment> {
    const file = await this.requireFile(patient);
    await this.portal.lockFile(file.id);
    const now = this.clock.now();
    const requested = calendarDay(input.date, this.zone()) ? localInstant(input.date, input.time, this.zone()) : null;
    const { rules, refusal } = await this.standing(file, requested?.isValid ? requested.toJSDate() : undefined);
    if (refusal) throw new PortalException(refusal.code, refusal.message, refusal.field ? { [refusal.field]: [refusal.message] } : undefined);

    const booked = await this.appointments.book(patient, { patientId: file.id, doctorId: input.doctorId, date: input.date, time: input.time }, ip, {
      notBefore: earliestBookable(rules, now),
    });
    const clash = await this.portal.overlapping(file.id, booked.id, new Date(booked.startsAt), new Date(booked.endsAt));
    if (clash) {
      // thrown after the insert: the request's transaction rolls the booking back
      const message = t('portal:errors.clash', { time: localTime(clash.startsAt, this.zone()), doctor: clash.doctorName });
      throw new PortalException('booking_limit', message, { time: [message] });
    }
    const followUp = (await this.openFollowUps(patient)).find((f) => f.doctorId === booked.doctor.id);
    if (followUp) await this.followUps.markBooked(followUp.id, booked.id, patient.userId);
    return this.appointment(patient, booked.id);
  }

  /** Cancels the patient's own scheduled appointment, up to the clinic's cut-off. */
  async cancel(patient: Principal, id: string, reason: string | undefined, ip: string | undefined): Promise<PortalAppointment> {
    const file = await this.requireFile(patient);
    // an unknown id and another patient's answer alike, before anything else is looked at
    if (!isId(id) || !(await this.portal.appointment(file.id, id))) throw appointmentNotFound();
    const { rules, phone } = await this.clinicTerms();
    const said = reason?.trim();
    // kept on the appointment for the front desk: in the clinic's language, not the patient's
    const language = this.context.tenant.language;
    const note = said ? translate(language, 'portal:cancel.storedReasonSaid', { reason: said }) : translate(language, 'portal:cancel.storedReason');
    await this.appointments.changeStatus(patient, id, 'cancelled', note, ip, (current) => {
      // the appointment is locked here: nothing changes it between this check and the cancellation
      if (current.patient.id !== file.id) throw appointmentNotFound();
      const refusal = cancelRefusal(rules, { status: current.status, startsAt: new Date(current.startsAt) }, this.clock.now(), this.zone(), phone);
      if (refusal) throw new PortalException(refusal.code, refusal.message);
    });
    return this.appointment(patient, id);
  }

  /** The clinic's rules and whether this patient may book now (and at `startsAt`, when given). */
  private async standing(file: PatientFile, startsAt?: Date) {
    const terms = await this.clinicTerms();
    const now = this.clock.now();
    const penalty = await this.portal.unpaidPenalty(file.id);
    const refusal = bookingRefusal(terms.rules, {
      now,
      zone: this.zone(),
      startsAt,
      upcoming: await this.portal.countUpcoming(file.id, now),
      unpaidPenalty: penalty ? { amount: penalty, currency: this.context.tenant.currency } : null,
      phone: terms.phone,
    });
    return { ...terms, refusal };
  }

  /** The clinic's portal rules and its phone, as patients dial it (`phone`) and for a `tel:` link (`phoneTel`, E.164). */
  private async clinicTerms(): Promise<{ rules: PortalRules; phone: string | null; phoneTel: string | null }> {
    const settings = await this.settings.get();
    const phoneTel = settings.contactPhone;
    return { rules: settings.portal, phone: phoneTel && displayPhone(phoneTel, this.context.tenant.phoneRegion), phoneTel };
  }

  private async requireFile(patient: Principal): Promise<PatientFile> {
    const file = await this.portal.fileOf(patient.userId);
    if (!file) throw noPatientFile();
    return file;
  }

  private view(row: PortalAppointmentRow, rules: PortalRules, now: Date, phone: string | null): PortalAppointment {
    const zone = this.zone();
    const startsAt = new Date(row.startsAt);
    const endsAt = new Date(row.endsAt);
    const upcoming = (row.status === 'scheduled' || row.status === 'checked_in') && endsAt > now;
    const refusal = upcoming ? cancelRefusal(rules, { status: row.status, startsAt }, now, zone, phone) : null;
    const canCancel = upcoming && refusal === null;
    const deadline = cancelDeadline(rules, startsAt);
    return {
      id: row.id,
      doctor: { id: row.doctorId, fullName: row.doctorName, specialty: row.specialty },
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      date: localDate(startsAt, zone),
      time: localTime(startsAt, zone),
      endTime: localTime(endsAt, zone),
      status: row.status,
      statusLabel: statusLabel(row.status),
      cost: row.cost,
      upcoming,
      canCancel,
      cancelUntil: canCancel ? `${localDate(deadline, zone)} ${localTime(deadline, zone)}` : null,
      cancelRefusal: refusal?.message ?? null,
      hasRecord: row.status === 'completed',
      hasPrescription: row.hasPrescription,
    };
  }

  private zone(): string {
    return this.context.tenant.timeZone;
  }
}
