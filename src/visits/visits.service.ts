import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { type AppointmentStatus, canMove, refusalOf, statusLabel } from '../appointments/appointment-status';
import { localDate, localTime, localToday } from '../common/time';
import { ageOn } from '../patients/patient-rules';
import { AppointmentsService } from '../appointments/appointments.service';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../common/clock';
import { TenantContext } from '../tenancy/tenant-context';
import {
  checkLineCounts,
  followUpDue,
  type FollowUpRequest,
  type PrescriptionLine,
  requirementLabel,
  type RequirementLine,
} from './visit-rules';
import { VisitException } from './visits.exception';
import { type VisitAppointmentRow, VisitsRepository } from './visits.repository';
import { isId } from '../common/validation/ids';
import { t } from '../i18n/i18n';

export interface VisitInput {
  readonly symptoms: string;
  readonly diagnosis: string;
  readonly notes: string;
  readonly prescriptions: readonly PrescriptionLine[];
  readonly requirements: readonly RequirementLine[];
  readonly followUp?: FollowUpRequest;
}

/** A visit as pages and the API show it: the appointment, and once completed its record. Times in the clinic's zone. */
export interface VisitView {
  readonly appointment: {
    readonly id: string;
    readonly patient: { readonly id: string; readonly fullName: string; readonly fileNumber: string; readonly dateOfBirth: string; readonly age: number; readonly gender: string };
    readonly doctor: { readonly id: string; readonly fullName: string };
    readonly startsAt: string;
    readonly date: string;
    readonly time: string;
    readonly endTime: string;
    readonly status: AppointmentStatus;
    readonly statusLabel: string;
    readonly cost: string | null;
  };
  readonly completed: boolean;
  /** Whether the doctor can still complete it (scheduled or checked in). */
  readonly canComplete: boolean;
  readonly consultation: {
    readonly id: string;
    readonly symptoms: string;
    readonly diagnosis: string;
    readonly notes: string;
    readonly createdAt: string;
    readonly createdAtLocal: string;
    readonly createdBy: string | null;
  } | null;
  readonly prescriptions: { position: number; medicationName: string; dosage: string; duration: string; instructions: string }[];
  readonly requirements: { position: number; kind: string; kindLabel: string; description: string }[];
  readonly amendments: { id: string; text: string; createdAt: string; createdAtLocal: string; createdBy: string | null }[];
  readonly invoice: { number: string; amount: string; status: string } | null;
  readonly followUp: { dueOn: string; note: string; status: string } | null;
}

/** Completing a visit and correcting it afterwards: the doctor's rules. */
@Injectable()
export class VisitsService {
  constructor(
    private readonly visits: VisitsRepository,
    private readonly appointments: AppointmentsService,
    private readonly context: TenantContext,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The visit for its own doctor (any visit for an admin reading it). */
  async get(actor: Principal, appointmentId: string): Promise<VisitView> {
    const appointment = isId(appointmentId) ? await this.visits.appointment(appointmentId) : null;
    if (!appointment) throw notFound();
    this.mustBeTheDoctor(actor, appointment);
    return this.view(appointment);
  }

  /** The visit of one of the patient's own appointments (the portal): anyone else's is "not found", like an unknown id. */
  async ofPatient(patientId: string, appointmentId: string): Promise<VisitView> {
    const appointment = isId(appointmentId) ? await this.visits.appointment(appointmentId) : null;
    if (!appointment || appointment.patientId !== patientId) throw notFound();
    return this.view(appointment);
  }

  /**
   * Writes the consultation, its lines, the completed status, the pending invoice and the follow-up in
   * the request's one transaction: all of it commits, or none of it.
   */
  async complete(actor: Principal, appointmentId: string, input: VisitInput, ip: string | undefined): Promise<VisitView> {
    const appointment = isId(appointmentId) ? await this.visits.lockAppointment(appointmentId) : null;
    if (!appointment) throw notFound();
    this.mustBeTheDoctor(actor, appointment);
    if (!canMove(appointment.status, 'completed')) throw new VisitException('invalid_transition', refusalOf(appointment.status, 'completed'));
    checkLineCounts(input.prescriptions, input.requirements);
    const dueOn = input.followUp ? followUpDue(input.followUp, this.today(), this.zone()) : null;

    const consultationId = await this.visits.insertConsultation({
      appointmentId,
      symptoms: input.symptoms.trim(),
      diagnosis: input.diagnosis.trim(),
      notes: input.notes.trim(),
      createdBy: actor.userId,
    });
    await this.visits.insertPrescriptions(consultationId, input.prescriptions);
    await this.visits.insertRequirements(consultationId, input.requirements);
    await this.visits.markCompleted(appointmentId);
    const amount = appointment.cost ?? appointment.fee;
    const invoice = await this.visits.insertInvoice(await this.visits.nextInvoiceNumber(), appointmentId, amount);
    if (dueOn) {
      await this.visits.insertFollowUp({ consultationId, patientId: appointment.patientId, doctorId: appointment.doctorId, dueOn, note: input.followUp?.note.trim() ?? '' });
    }
    this.appointments.invalidateBoardAt(new Date(appointment.startsAt));
    // no medical text in the log: what happened, to what, and the money
    await this.audit.record({
      action: 'visit.completed',
      actorId: actor.userId,
      entity: 'appointment',
      entityId: appointmentId,
      details: {
        appointmentId,
        consultationId,
        from: appointment.status,
        invoiceNumber: invoice.number,
        amount: invoice.amount,
        prescriptions: input.prescriptions.length,
        requirements: input.requirements.length,
        ...(dueOn ? { followUpDue: dueOn } : {}),
      },
      ip,
    });
    return this.view({ ...appointment, status: 'completed' });
  }

  /** A dated correction to a completed visit, appended (the record itself never changes). */
  async amend(actor: Principal, appointmentId: string, text: string, ip: string | undefined): Promise<VisitView> {
    const appointment = isId(appointmentId) ? await this.visits.appointment(appointmentId) : null;
    if (!appointment) throw notFound();
    this.mustBeTheDoctor(actor, appointment);
    const consultation = await this.visits.consultation(appointmentId);
    if (!consultation) throw new VisitException('not_completed', t('visits:errors.notCompleted'));
    const amendmentId = await this.visits.insertAmendment(consultation.id, text.trim(), actor.userId);
    await this.audit.record({
      action: 'visit.amended',
      actorId: actor.userId,
      entity: 'appointment',
      entityId: appointmentId,
      details: { appointmentId, consultationId: consultation.id, amendmentId },
      ip,
    });
    return this.view(appointment);
  }

  /** Names the clinic has prescribed before, for the medication autocomplete. */
  medications(prefix: string | undefined): Promise<string[]> {
    const term = (prefix ?? '').trim();
    return term ? this.visits.medications(term.slice(0, 200)) : Promise.resolve([]);
  }

  today(): string {
    return localToday(this.clock.now(), this.zone());
  }

  private zone(): string {
    return this.context.tenant.timeZone;
  }

  private mustBeTheDoctor(actor: Principal, appointment: VisitAppointmentRow): void {
    if (actor.role === 'admin') return;
    if (actor.role !== 'doctor' || appointment.doctorUserId !== actor.userId) {
      throw new VisitException('not_your_patient', t('visits:errors.notYourPatient', { doctor: appointment.doctorName }));
    }
  }

  private async view(a: VisitAppointmentRow): Promise<VisitView> {
    const zone = this.zone();
    const startsAt = new Date(a.startsAt);
    const consultation = await this.visits.consultation(a.id);
    // one after another: the request's transaction is one connection
    const prescriptions = consultation ? await this.visits.prescriptions(consultation.id) : [];
    const requirements = consultation ? await this.visits.requirements(consultation.id) : [];
    const amendments = consultation ? await this.visits.amendments(consultation.id) : [];
    const invoice = await this.visits.invoice(a.id);
    const followUp = consultation ? await this.visits.followUp(consultation.id) : null;
    const stamp = (at: Date) => DateTime.fromJSDate(new Date(at), { zone }).toFormat('yyyy-MM-dd HH:mm');
    return {
      appointment: {
        id: a.id,
        patient: {
          id: a.patientId,
          fullName: a.patientName,
          fileNumber: a.fileNumber,
          dateOfBirth: a.dateOfBirth,
          age: ageOn(a.dateOfBirth, this.today()),
          gender: a.gender,
        },
        doctor: { id: a.doctorId, fullName: a.doctorName },
        startsAt: startsAt.toISOString(),
        date: localDate(startsAt, zone),
        time: localTime(startsAt, zone),
        endTime: localTime(new Date(a.endsAt), zone),
        status: a.status,
        statusLabel: statusLabel(a.status),
        cost: a.cost,
      },
      completed: consultation !== null,
      canComplete: consultation === null && canMove(a.status, 'completed'),
      consultation: consultation && {
        id: consultation.id,
        symptoms: consultation.symptoms,
        diagnosis: consultation.diagnosis,
        notes: consultation.notes,
        createdAt: new Date(consultation.createdAt).toISOString(),
        createdAtLocal: stamp(consultation.createdAt),
        createdBy: consultation.createdByName,
      },
      prescriptions: prescriptions.map((p) => ({ ...p })),
      requirements: requirements.map((r) => ({ ...r, kindLabel: requirementLabel(r.kind) })),
      amendments: amendments.map((m) => ({
        id: m.id,
        text: m.text,
        createdAt: new Date(m.createdAt).toISOString(),
        createdAtLocal: stamp(m.createdAt),
        createdBy: m.createdByName,
      })),
      invoice: invoice && { number: invoice.number, amount: invoice.amount, status: invoice.status },
      followUp,
    };
  }
}

const notFound = () => new VisitException('visit_not_found', t('visits:errors.notFound'));


