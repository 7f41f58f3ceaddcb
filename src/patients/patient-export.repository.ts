import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import type { PatientRecordSet } from './patient-export';

/** An instant as ISO 8601 in UTC, whatever the session's time zone (`2026-11-23T07:00:00.000Z`, like `Date.toISOString`). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A doctor as the export names them. */
const doctor = (doctorId: string) => `(
  SELECT json_build_object('id', d.id::text, 'name', du.full_name, 'specialty', s.name::text)
    FROM doctors d JOIN users du ON du.id = d.user_id LEFT JOIN specialties s ON s.id = d.specialty_id
   WHERE d.id = ${doctorId})`;

/**
 * A person named in the record (who booked, recorded, changed): staff, or the patient's own portal
 * identity. A user who is some other patient is never named (no path leads there today; this keeps
 * it so).
 */
const person = (userId: string) => `(
  SELECT json_build_object('id', u.id::text, 'name', u.full_name, 'role', u.role)
    FROM users u
   WHERE u.id = ${userId} AND (u.role <> 'patient' OR u.id = (SELECT user_id FROM p)))`;

/** `coalesce(json_agg(…), '[]')`: a section is an empty list, never null. */
const list = (object: string, order: string) => `coalesce(json_agg(${object} ORDER BY ${order}), '[]'::json)`;

/**
 * Everything about one patient, as one JSON document, in one statement: one round trip and one
 * snapshot, so no section can disagree with another. Every section is reached from the patient's
 * own rows (`p`, then their appointments `ap`, …); the audit entries are those whose entity is one of
 * those rows — an entry on an appointment belongs to that appointment's patient — or the patient's
 * portal identity.
 */
const EXPORT_SQL = `
WITH p AS (SELECT * FROM patients WHERE id = $1),
     ap AS (SELECT a.* FROM appointments a WHERE a.patient_id = (SELECT id FROM p)),
     co AS (SELECT c.* FROM consultations c JOIN ap ON ap.id = c.appointment_id),
     inv AS (SELECT i.* FROM invoices i JOIN ap ON ap.id = i.appointment_id),
     pen AS (SELECT x.* FROM penalties x WHERE x.patient_id = (SELECT id FROM p)),
     fu AS (SELECT f.* FROM follow_ups f WHERE f.patient_id = (SELECT id FROM p)),
     wl AS (SELECT w.* FROM waitlist w WHERE w.patient_id = (SELECT id FROM p)),
     ob AS (SELECT o.* FROM outbox o WHERE o.patient_id = (SELECT id FROM p)),
     about (entity, entity_id) AS (
       SELECT 'patient', id::text FROM p
       UNION ALL SELECT 'user', user_id::text FROM p WHERE user_id IS NOT NULL
       UNION ALL SELECT 'appointment', id::text FROM ap
       UNION ALL SELECT 'invoice', id::text FROM inv
       UNION ALL SELECT 'penalty', id::text FROM pen
       UNION ALL SELECT 'follow_up', id::text FROM fu
       UNION ALL SELECT 'waitlist', id::text FROM wl
       UNION ALL SELECT 'outbox', id::text FROM ob)
SELECT json_build_object(
  'patient', json_build_object(
    'id', p.id::text, 'fileNumber', p.file_number, 'firstName', p.first_name, 'lastName', p.last_name,
    'dateOfBirth', p.date_of_birth::text, 'gender', p.gender, 'phone', p.phone, 'email', p.email, 'address', p.address,
    'nationalId', p.national_id, 'createdAt', ${iso('p.created_at')}, 'updatedAt', ${iso('p.updated_at')}),
  'portalAccount', (
    SELECT json_build_object(
      'id', u.id::text, 'username', u.username::text, 'phone', u.phone, 'fullName', u.full_name, 'isActive', u.is_active,
      'language', u.language, 'failedSignIns', u.failed_logins, 'lockedUntil', ${iso('u.locked_until')},
      'createdAt', ${iso('u.created_at')}, 'updatedAt', ${iso('u.updated_at')})
      FROM users u WHERE u.id = p.user_id),
  'appointments', (
    SELECT ${list(`json_build_object(
      'id', a.id::text, 'doctor', ${doctor('a.doctor_id')}, 'startsAt', ${iso('a.starts_at')}, 'endsAt', ${iso('a.ends_at')},
      'status', a.status, 'isPriority', a.is_priority, 'cost', a.cost::text, 'notes', a.notes, 'cancelReason', a.cancel_reason,
      'lateCancellation', a.late_cancellation, 'checkedInAt', ${iso('a.checked_in_at')}, 'cancelledAt', ${iso('a.cancelled_at')},
      'noShowAt', ${iso('a.no_show_at')}, 'confirmedAt', ${iso('a.confirmed_at')}, 'bookedBy', ${person('a.created_by')},
      'createdAt', ${iso('a.created_at')}, 'updatedAt', ${iso('a.updated_at')})`, 'a.starts_at, a.id')}
      FROM ap a),
  'visits', (
    SELECT ${list(`json_build_object(
      'consultationId', c.id::text, 'appointmentId', a.id::text, 'doctor', ${doctor('a.doctor_id')}, 'visitAt', ${iso('a.starts_at')},
      'symptoms', c.symptoms, 'diagnosis', c.diagnosis, 'notes', c.notes, 'recordedBy', ${person('c.created_by')},
      'createdAt', ${iso('c.created_at')},
      'prescriptions', (
        SELECT ${list(`json_build_object('id', rx.id::text, 'position', rx.position, 'medicationName', rx.medication_name,
                 'dosage', rx.dosage, 'duration', rx.duration, 'instructions', rx.instructions)`, 'rx.position')}
          FROM prescriptions rx WHERE rx.consultation_id = c.id),
      'requirements', (
        SELECT ${list(`json_build_object('id', rq.id::text, 'position', rq.position, 'kind', rq.kind, 'description', rq.description)`, 'rq.position')}
          FROM requirements rq WHERE rq.consultation_id = c.id),
      'amendments', (
        SELECT ${list(`json_build_object('id', am.id::text, 'text', am.text, 'by', ${person('am.created_by')}, 'createdAt', ${iso('am.created_at')})`, 'am.created_at, am.id')}
          FROM consultation_amendments am WHERE am.consultation_id = c.id))`, 'a.starts_at, c.id')}
      FROM co c JOIN ap a ON a.id = c.appointment_id),
  'invoices', (
    SELECT ${list(`json_build_object(
      'id', i.id::text, 'number', i.number::text, 'appointmentId', i.appointment_id::text, 'visitAt', ${iso('a.starts_at')},
      'amount', i.amount::text, 'paidAmount', i.paid_amount::text, 'balance', (i.amount - i.paid_amount)::text, 'status', i.status,
      'paymentMethod', i.payment_method, 'paidAt', ${iso('i.paid_at')}, 'voidReason', i.void_reason, 'voidedAt', ${iso('i.voided_at')},
      'createdAt', ${iso('i.created_at')},
      'payments', (
        SELECT ${list(`json_build_object('id', pay.id::text, 'amount', pay.amount::text, 'method', pay.method, 'paidOn', pay.paid_on::text,
                 'reference', pay.reference, 'recordedBy', ${person('pay.created_by')}, 'createdAt', ${iso('pay.created_at')})`, 'pay.created_at, pay.id')}
          FROM payments pay WHERE pay.invoice_id = i.id))`, 'i.number')}
      FROM inv i JOIN ap a ON a.id = i.appointment_id),
  'penalties', (
    SELECT ${list(`json_build_object(
      'id', x.id::text, 'appointmentId', x.appointment_id::text,
      'appointmentAt', ${iso('(SELECT starts_at FROM appointments WHERE id = x.appointment_id)')},
      'amount', x.amount::text, 'status', x.status, 'settledAt', ${iso('x.settled_at')}, 'waiveReason', x.waive_reason,
      'createdAt', ${iso('x.created_at')})`, 'x.created_at, x.id')}
      FROM pen x),
  'followUps', (
    SELECT ${list(`json_build_object(
      'id', f.id::text, 'consultationId', f.consultation_id::text, 'doctor', ${doctor('f.doctor_id')}, 'dueOn', f.due_on::text,
      'note', f.note, 'status', f.status, 'appointmentId', f.appointment_id::text,
      'createdAt', ${iso('f.created_at')}, 'updatedAt', ${iso('f.updated_at')})`, 'f.created_at, f.id')}
      FROM fu f),
  'waitlist', (
    SELECT ${list(`json_build_object(
      'id', w.id::text, 'doctor', ${doctor('w.doctor_id')}, 'fromDate', w.from_date::text, 'toDate', w.to_date::text,
      'status', w.status, 'notes', w.notes, 'appointmentId', w.appointment_id::text,
      'createdAt', ${iso('w.created_at')}, 'closedAt', ${iso('w.closed_at')})`, 'w.created_at, w.id')}
      FROM wl w),
  'notices', (
    SELECT ${list(`json_build_object(
      'id', o.id::text, 'kind', o.kind, 'appointmentId', o.appointment_id::text, 'recipient', o.recipient,
      'subject', o.subject, 'body', o.body, 'status', o.status, 'attempts', o.attempts, 'lastError', o.last_error,
      'createdAt', ${iso('o.created_at')}, 'sentAt', ${iso('o.sent_at')})`, 'o.created_at, o.id')}
      FROM ob o),
  'audit', (
    SELECT ${list(`json_build_object(
      'id', l.id::text, 'at', ${iso('l.at')}, 'action', l.action, 'entity', l.entity, 'entityId', l.entity_id,
      'actor', ${person('l.actor_id')}, 'details', l.details,
      'ip', CASE WHEN l.actor_id = p.user_id THEN host(l.ip) END)`, 'l.at, l.id')}
      FROM audit_log l JOIN about ON about.entity = l.entity AND about.entity_id = l.entity_id)
) AS record
FROM p`;

/** The SQL of the patient export, through the request's tenant transaction (read only). */
@Injectable()
export class PatientExportRepository {
  constructor(private readonly context: TenantContext) {}

  /** The patient's whole record, or null when the clinic has no such patient. */
  async read(patientId: string): Promise<PatientRecordSet | null> {
    const rows: { record: PatientRecordSet }[] = await this.context.manager.query(EXPORT_SQL, [patientId]);
    return rows[0]?.record ?? null;
  }
}
