import type { AppointmentStatus } from '../appointments/appointment-status';
import type { InvoiceStatus, PaymentMethod } from '../invoices/invoice';
import type { PenaltyStatus } from '../no-shows/penalty';
import type { NoticeKind, OutboxStatus } from '../outbox/notice';
import type { RequirementKind } from '../visits/visit-rules';
import type { UserRole } from '../users/user.entity';
import type { Gender } from './patient-rules';

/*
 * The patient's right of access: everything the clinic holds about one patient, as one document.
 * Ids are strings (bigints), instants ISO 8601 in UTC (`clinic.timeZone` says how the clinic reads
 * them), days `YYYY-MM-DD`, money exact decimal strings in `clinic.currency`. Statuses and kinds are
 * the stored codes, not words, so the document reads the same in every language.
 */

/** Who may export a patient's whole record: the clinic owner, who answers for the clinic's data. */
export const PATIENT_EXPORTERS = ['admin'] as const satisfies readonly UserRole[];

export const mayExportPatients = (role: UserRole | undefined): boolean => (PATIENT_EXPORTERS as readonly string[]).includes(role ?? '');

export const EXPORT_FORMAT = 'clinic-patient-export';
export const EXPORT_VERSION = 1;

export type ExportFormat = 'json' | 'pdf';

/** A member of staff (or the patient's own portal identity) named in the record; another patient is never named. */
export interface ExportPerson {
  readonly id: string;
  readonly name: string;
  readonly role: UserRole;
}

export interface ExportDoctor {
  readonly id: string;
  readonly name: string;
  readonly specialty: string | null;
}

export interface ExportPatient {
  readonly id: string;
  readonly fileNumber: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly dateOfBirth: string;
  readonly gender: Gender;
  readonly phone: string | null;
  readonly email: string | null;
  readonly address: string | null;
  readonly nationalId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The patient's portal identity: what it is and its state, never a secret (patients have no password). */
export interface ExportPortalAccount {
  readonly id: string;
  readonly username: string;
  readonly phone: string | null;
  readonly fullName: string;
  readonly isActive: boolean;
  readonly language: string | null;
  readonly failedSignIns: number;
  readonly lockedUntil: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ExportAppointment {
  readonly id: string;
  readonly doctor: ExportDoctor;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly status: AppointmentStatus;
  readonly isPriority: boolean;
  readonly cost: string | null;
  readonly notes: string | null;
  readonly cancelReason: string | null;
  readonly lateCancellation: boolean;
  readonly checkedInAt: string | null;
  readonly cancelledAt: string | null;
  readonly noShowAt: string | null;
  readonly confirmedAt: string | null;
  readonly bookedBy: ExportPerson | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ExportPrescription {
  readonly id: string;
  readonly position: number;
  readonly medicationName: string;
  readonly dosage: string;
  readonly duration: string;
  readonly instructions: string;
}

export interface ExportRequirement {
  readonly id: string;
  readonly position: number;
  readonly kind: RequirementKind;
  readonly description: string;
}

export interface ExportAmendment {
  readonly id: string;
  readonly text: string;
  readonly by: ExportPerson | null;
  readonly createdAt: string;
}

/** A completed visit: the consultation of one appointment, with what the doctor prescribed and asked for. */
export interface ExportVisit {
  readonly consultationId: string;
  readonly appointmentId: string;
  readonly doctor: ExportDoctor;
  /** When the appointment started. */
  readonly visitAt: string;
  readonly symptoms: string;
  readonly diagnosis: string;
  readonly notes: string;
  readonly recordedBy: ExportPerson | null;
  readonly createdAt: string;
  readonly prescriptions: ExportPrescription[];
  readonly requirements: ExportRequirement[];
  readonly amendments: ExportAmendment[];
}

export interface ExportPayment {
  readonly id: string;
  readonly amount: string;
  readonly method: PaymentMethod;
  readonly paidOn: string;
  readonly reference: string;
  readonly recordedBy: ExportPerson | null;
  readonly createdAt: string;
}

export interface ExportInvoice {
  readonly id: string;
  readonly number: string;
  readonly appointmentId: string;
  readonly visitAt: string;
  readonly amount: string;
  readonly paidAmount: string;
  readonly balance: string;
  readonly status: InvoiceStatus;
  readonly paymentMethod: PaymentMethod | null;
  readonly paidAt: string | null;
  readonly voidReason: string | null;
  readonly voidedAt: string | null;
  readonly createdAt: string;
  /** The receipts' lines: each payment received against the invoice. */
  readonly payments: ExportPayment[];
}

export interface ExportPenalty {
  readonly id: string;
  readonly appointmentId: string;
  readonly appointmentAt: string;
  readonly amount: string;
  readonly status: PenaltyStatus;
  readonly settledAt: string | null;
  readonly waiveReason: string | null;
  readonly createdAt: string;
}

export interface ExportFollowUp {
  readonly id: string;
  readonly consultationId: string;
  readonly doctor: ExportDoctor;
  readonly dueOn: string;
  readonly note: string;
  readonly status: 'open' | 'booked' | 'dismissed';
  readonly appointmentId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ExportWaitlistEntry {
  readonly id: string;
  readonly doctor: ExportDoctor;
  readonly fromDate: string;
  readonly toDate: string;
  readonly status: 'waiting' | 'booked' | 'removed';
  readonly notes: string | null;
  readonly appointmentId: string | null;
  readonly createdAt: string;
  readonly closedAt: string | null;
}

/** A notice to the patient as it was written (its single-use link removed: see `withoutLinks`). */
export interface ExportNotice {
  readonly id: string;
  readonly kind: NoticeKind;
  readonly appointmentId: string | null;
  readonly recipient: string | null;
  readonly subject: string;
  readonly body: string;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
}

/** An audit entry about the patient, their portal identity or one of their records. */
export interface ExportAuditEntry {
  readonly id: string;
  readonly at: string;
  readonly action: string;
  readonly entity: string;
  readonly entityId: string;
  /** Null for the clinic's automation (the no-show sweep, a link in a notice). */
  readonly actor: ExportPerson | null;
  readonly details: Record<string, unknown>;
  /** Only for what the patient did themselves (their sign-ins, say); staff addresses are not about the patient. */
  readonly ip: string | null;
}

/** What the repository reads, in one statement (one snapshot). */
export interface PatientRecordSet {
  readonly patient: ExportPatient;
  readonly portalAccount: ExportPortalAccount | null;
  readonly appointments: ExportAppointment[];
  readonly visits: ExportVisit[];
  readonly invoices: ExportInvoice[];
  readonly penalties: ExportPenalty[];
  readonly followUps: ExportFollowUp[];
  readonly waitlist: ExportWaitlistEntry[];
  readonly notices: ExportNotice[];
  readonly audit: ExportAuditEntry[];
}

/** The export document (`format` and `version` let a reader know what it holds). */
export interface PatientExport extends PatientRecordSet {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: typeof EXPORT_VERSION;
  readonly exportedAt: string;
  readonly exportedBy: { readonly id: string; readonly name: string };
  readonly clinic: { readonly name: string; readonly timeZone: string; readonly currency: string };
}

/** The record sections, in the document's order (their sizes are written to the audit entry). */
export const EXPORT_SECTIONS = ['appointments', 'visits', 'invoices', 'penalties', 'followUps', 'waitlist', 'notices', 'audit'] as const;

/** How many records each section holds. */
export function sectionCounts(set: PatientRecordSet): Record<(typeof EXPORT_SECTIONS)[number], number> {
  return Object.fromEntries(EXPORT_SECTIONS.map((s) => [s, set[s].length])) as Record<(typeof EXPORT_SECTIONS)[number], number>;
}

/**
 * A notice's text without its signed single-use link (`/l/<id>.<expiry>.<signature>`): the link is
 * a capability (it confirms, cancels or books), and an export file travels further than an e-mail.
 */
export function withoutLinks(text: string): string {
  return text.replace(/\/l\/[0-9]+\.[0-9]+\.[A-Za-z0-9_-]+/g, '/l/[removed]');
}

/** `patient-000123-2026-11-23.json`: the file number and the clinic's date of the export. */
export function exportFileName(fileNumber: string, localDay: string, format: ExportFormat): string {
  return `patient-${fileNumber.replace(/[^0-9A-Za-z-]/g, '')}-${localDay}.${format}`;
}
