import type { AppointmentStatus } from '../appointments/appointment-status';
import type { Gender } from './patient-rules';

/** A patient file as the screens and the API show it. */
export interface Patient {
  readonly id: string;
  /** Sequential per clinic, zero-padded: `000123`. */
  readonly fileNumber: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly fullName: string;
  /** YYYY-MM-DD. */
  readonly dateOfBirth: string;
  readonly gender: Gender;
  /** E.164, or null. */
  readonly phone: string | null;
  readonly address: string | null;
  readonly nationalId: string | null;
  /** Where notices (confirmations, reminders) are sent, or null. */
  readonly email: string | null;
  /** The username the patient signs in to the portal with (with their phone), or null without a portal identity. */
  readonly portalUsername: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type { AppointmentStatus } from '../appointments/appointment-status';

/** One of the patient's appointments, times also given in the clinic's time zone. */
export interface PatientAppointment {
  readonly id: string;
  readonly doctorName: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: AppointmentStatus;
  /** In the clinic's time zone: YYYY-MM-DD and HH:mm. */
  readonly date: string;
  readonly time: string;
}

/** The profile: the file, the age today, the upcoming appointments (soonest first) and the others (latest first). */
export interface PatientProfile {
  readonly patient: Patient;
  readonly age: number;
  readonly upcoming: PatientAppointment[];
  /** Past appointments, and future ones that were cancelled. */
  readonly past: PatientAppointment[];
}

/** One page of a search (or of the whole list when there is no term). */
export interface PatientPage {
  readonly q: string;
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly pages: number;
  readonly patients: Patient[];
}

/** An existing file that a new registration may duplicate (same phone and date of birth). */
export interface ExistingFile {
  readonly id: string;
  readonly fileNumber: string;
  readonly fullName: string;
}
