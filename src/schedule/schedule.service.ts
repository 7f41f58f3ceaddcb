import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { type AppointmentStatus, statusLabel } from '../appointments/appointment-status';
import { calendarDay, localDate, localTime, localToday } from '../common/time';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../common/clock';
import type { Patient, PatientPage } from '../patients/patient';
import { ageOn, type Gender, pageNumber } from '../patients/patient-rules';
import { PatientsService } from '../patients/patients.service';
import { TenantContext } from '../tenancy/tenant-context';
import { invalidDate } from './schedule.exception';
import { type DoctorOfUser, type QueueRow, ScheduleRepository, type VisitRow } from './schedule.repository';

/** Visits on one page of a patient's history. */
export const HISTORY_PAGE_SIZE = 10;

/** Statuses from which the doctor can still open the visit. */
const STARTABLE: readonly AppointmentStatus[] = ['scheduled', 'checked_in'];

export interface QueueEntry {
  readonly id: string;
  readonly patient: { readonly id: string; readonly fullName: string; readonly fileNumber: string };
  readonly startsAt: string;
  readonly endsAt: string;
  /** Local time `HH:MM` in the clinic's zone. */
  readonly time: string;
  readonly endTime: string;
  readonly status: AppointmentStatus;
  readonly statusLabel: string;
  readonly isPriority: boolean;
  readonly canStart: boolean;
}

export interface QueueCounts {
  /** Every appointment of the day that was not cancelled. */
  readonly total: number;
  /** Scheduled, not arrived yet. */
  readonly waiting: number;
  readonly checkedIn: number;
  readonly completed: number;
}

/** The signed-in doctor's day: null `doctor` when the user has no doctor's terms in this clinic. */
export interface DoctorQueue {
  readonly date: string;
  readonly isToday: boolean;
  readonly previousDate: string;
  readonly nextDate: string;
  readonly today: string;
  readonly doctor: DoctorOfUser | null;
  readonly counts: QueueCounts;
  readonly appointments: QueueEntry[];
}

export interface DoctorPatient extends Patient {
  /** The next appointment with the signed-in doctor, times in the clinic's zone. */
  readonly nextAppointment: { readonly id: string; readonly startsAt: string; readonly date: string; readonly time: string; readonly statusLabel: string } | null;
  /** The last completed visit with any doctor. */
  readonly lastVisit: { readonly id: string; readonly startsAt: string; readonly date: string; readonly diagnosis: string | null; readonly doctorName: string } | null;
}

export interface DoctorPatientPage extends Omit<PatientPage, 'patients'> {
  readonly patients: DoctorPatient[];
}

export interface HistoryVisit {
  readonly id: string;
  readonly appointmentId: string;
  readonly startsAt: string;
  readonly date: string;
  readonly time: string;
  readonly doctorName: string;
  readonly symptoms: string;
  readonly diagnosis: string;
  readonly notes: string;
  readonly prescriptions: VisitRow['prescriptions'];
  readonly requirements: VisitRow['requirements'];
  /** Oldest first, times in the clinic's zone. */
  readonly amendments: { readonly text: string; readonly authorName: string | null; readonly createdAt: string; readonly date: string; readonly time: string }[];
}

export interface PatientHistory {
  readonly patient: {
    readonly id: string;
    readonly fileNumber: string;
    readonly fullName: string;
    readonly dateOfBirth: string;
    readonly age: number;
    readonly gender: Gender;
    readonly phone: string | null;
  };
  readonly visits: HistoryVisit[];
  readonly page: number;
  readonly pages: number;
  readonly total: number;
}

/** The doctor's console: the day's queue, the clinic's patients as the doctor sees them, a patient's history. */
@Injectable()
export class ScheduleService {
  constructor(
    private readonly schedule: ScheduleRepository,
    private readonly patients: PatientsService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The signed-in doctor's appointments on a local date (today when none is given). */
  async queue(actor: Principal, rawDate: unknown): Promise<DoctorQueue> {
    const today = localToday(this.clock.now(), this.zone());
    const day = this.localDay(rawDate, today);
    const date = day.toISODate()!;
    const doctor = await this.schedule.doctorOfUser(actor.userId);
    const rows = doctor ? await this.schedule.queue(doctor.id, day.toJSDate(), day.plus({ days: 1 }).toJSDate()) : [];
    const appointments = rows.map((row) => this.entry(row));
    const count = (status: AppointmentStatus) => appointments.filter((a) => a.status === status).length;
    return {
      date,
      isToday: date === today,
      today,
      previousDate: day.minus({ days: 1 }).toISODate()!,
      nextDate: day.plus({ days: 1 }).toISODate()!,
      doctor,
      counts: {
        total: appointments.length - count('cancelled'),
        waiting: count('scheduled'),
        checkedIn: count('checked_in'),
        completed: count('completed'),
      },
      appointments,
    };
  }

  /** A page of the clinic's files (searched as at the front desk), each with its next appointment with this doctor and its last visit. */
  async patientList(actor: Principal, q: unknown, page: unknown): Promise<DoctorPatientPage> {
    const found = await this.patients.search(q, page);
    const doctor = await this.schedule.doctorOfUser(actor.userId);
    const zone = this.zone();
    const extra = new Map(
      (await this.schedule.visitsOf(found.patients.map((p) => p.id), doctor?.id ?? null, this.clock.now())).map((row) => [row.patientId, row]),
    );
    return {
      ...found,
      patients: found.patients.map((p) => {
        const { next, last } = extra.get(p.id) ?? { next: null, last: null };
        return {
          ...p,
          nextAppointment: next && {
            id: next.id,
            startsAt: new Date(next.startsAt).toISOString(),
            date: localDate(new Date(next.startsAt), zone),
            time: localTime(new Date(next.startsAt), zone),
            statusLabel: statusLabel(next.status),
          },
          lastVisit: last && {
            id: last.id,
            startsAt: new Date(last.startsAt).toISOString(),
            date: localDate(new Date(last.startsAt), zone),
            diagnosis: last.diagnosis,
            doctorName: last.doctorName,
          },
        };
      }),
    };
  }

  /**
   * The patient's details and a page of completed visits, newest first. Every look is audited
   * (`patient.history_viewed`), in the same transaction as the read.
   */
  async history(actor: Principal, rawId: string, rawPage: unknown, ip: string | undefined): Promise<PatientHistory> {
    const patient = await this.patients.get(rawId); // 404 for an unknown or malformed id
    const total = await this.schedule.countVisits(patient.id);
    const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
    const page = Math.min(pageNumber(rawPage), pages);
    const rows = await this.schedule.visits(patient.id, HISTORY_PAGE_SIZE, (page - 1) * HISTORY_PAGE_SIZE);
    await this.audit.record({ action: 'patient.history_viewed', actorId: actor.userId, entity: 'patient', entityId: patient.id, details: { page }, ip });
    const zone = this.zone();
    const today = localToday(this.clock.now(), zone);
    return {
      patient: {
        id: patient.id,
        fileNumber: patient.fileNumber,
        fullName: patient.fullName,
        dateOfBirth: patient.dateOfBirth,
        age: ageOn(patient.dateOfBirth, today),
        gender: patient.gender,
        phone: patient.phone,
      },
      visits: rows.map((row) => {
        const startsAt = new Date(row.startsAt);
        return {
          id: row.consultationId,
          appointmentId: row.appointmentId,
          startsAt: startsAt.toISOString(),
          date: localDate(startsAt, zone),
          time: localTime(startsAt, zone),
          doctorName: row.doctorName,
          symptoms: row.symptoms,
          diagnosis: row.diagnosis,
          notes: row.notes,
          prescriptions: row.prescriptions,
          requirements: row.requirements,
          amendments: row.amendments.map((m) => {
            const at = new Date(m.createdAt);
            return { text: m.text, authorName: m.authorName, createdAt: at.toISOString(), date: localDate(at, zone), time: localTime(at, zone) };
          }),
        };
      }),
      page,
      pages,
      total,
    };
  }

  private zone(): string {
    return this.context.tenant.timeZone;
  }

  /** The start of a local date in the clinic's zone; no date means today, anything not on the calendar is refused. */
  private localDay(raw: unknown, today: string): DateTime {
    const day = calendarDay(raw === undefined || raw === '' ? today : raw, this.zone());
    if (!day) throw invalidDate();
    return day;
  }

  private entry(row: QueueRow): QueueEntry {
    const zone = this.zone();
    const startsAt = new Date(row.startsAt);
    const endsAt = new Date(row.endsAt);
    return {
      id: row.id,
      patient: { id: row.patientId, fullName: row.patientName, fileNumber: row.fileNumber },
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      time: localTime(startsAt, zone),
      endTime: localTime(endsAt, zone),
      status: row.status,
      statusLabel: statusLabel(row.status),
      isPriority: row.isPriority,
      canStart: STARTABLE.includes(row.status),
    };
  }
}
