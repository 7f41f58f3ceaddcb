import { Injectable } from '@nestjs/common';
import type { AppointmentStatus } from '../appointments/appointment-status';
import { TenantContext } from '../tenancy/tenant-context';
import type { PrescriptionLine, RequirementKind, RequirementLine } from './visit-rules';

/** The appointment a visit belongs to, with what completing it needs (the doctor's user, fee, cost). */
export interface VisitAppointmentRow {
  readonly id: string;
  readonly patientId: string;
  readonly patientName: string;
  readonly fileNumber: string;
  readonly dateOfBirth: string;
  readonly gender: string;
  readonly doctorId: string;
  readonly doctorUserId: string;
  readonly doctorName: string;
  readonly fee: string;
  readonly cost: string | null;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly status: AppointmentStatus;
}

export interface ConsultationRow {
  readonly id: string;
  readonly symptoms: string;
  readonly diagnosis: string;
  readonly notes: string;
  readonly createdAt: Date;
  readonly createdByName: string | null;
}

export interface PrescriptionRow extends PrescriptionLine {
  readonly position: number;
}

export interface RequirementRow {
  readonly position: number;
  readonly kind: RequirementKind;
  readonly description: string;
}

export interface AmendmentRow {
  readonly id: string;
  readonly text: string;
  readonly createdAt: Date;
  readonly createdByName: string | null;
}

export interface InvoiceRow {
  readonly id: string;
  readonly number: string;
  readonly amount: string;
  readonly status: 'pending' | 'paid' | 'void';
}

export interface FollowUpRow {
  readonly dueOn: string;
  readonly note: string;
  readonly status: 'open' | 'booked' | 'dismissed';
}

export interface NewConsultation {
  readonly appointmentId: string;
  readonly symptoms: string;
  readonly diagnosis: string;
  readonly notes: string;
  readonly createdBy: string;
}

const APPOINTMENT = `
  SELECT a.id, a.patient_id AS "patientId", p.first_name || ' ' || p.last_name AS "patientName", p.file_number AS "fileNumber",
         p.date_of_birth::text AS "dateOfBirth", p.gender,
         a.doctor_id AS "doctorId", d.user_id AS "doctorUserId", u.full_name AS "doctorName", d.consultation_fee::text AS fee,
         a.cost::text AS cost, a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.status
    FROM appointments a
    JOIN patients p ON p.id = a.patient_id
    JOIN doctors d ON d.id = a.doctor_id
    JOIN users u ON u.id = d.user_id
   WHERE a.id = $1`;

/** The SQL of the visit record, through the request's tenant transaction. */
@Injectable()
export class VisitsRepository {
  constructor(private readonly context: TenantContext) {}

  async appointment(id: string): Promise<VisitAppointmentRow | null> {
    const rows: VisitAppointmentRow[] = await this.context.manager.query(APPOINTMENT, [id]);
    return rows[0] ?? null;
  }

  /** Locks the appointment row for the rest of the transaction: two completions of one visit run one after the other. */
  async lockAppointment(id: string): Promise<VisitAppointmentRow | null> {
    const rows: VisitAppointmentRow[] = await this.context.manager.query(`${APPOINTMENT} FOR UPDATE OF a`, [id]);
    return rows[0] ?? null;
  }

  async consultation(appointmentId: string): Promise<ConsultationRow | null> {
    const rows: ConsultationRow[] = await this.context.manager.query(
      `SELECT c.id, c.symptoms, c.diagnosis, c.notes, c.created_at AS "createdAt", u.full_name AS "createdByName"
         FROM consultations c LEFT JOIN users u ON u.id = c.created_by
        WHERE c.appointment_id = $1`,
      [appointmentId],
    );
    return rows[0] ?? null;
  }

  prescriptions(consultationId: string): Promise<PrescriptionRow[]> {
    return this.context.manager.query(
      `SELECT position, medication_name AS "medicationName", dosage, duration, instructions
         FROM prescriptions WHERE consultation_id = $1 ORDER BY position`,
      [consultationId],
    );
  }

  requirements(consultationId: string): Promise<RequirementRow[]> {
    return this.context.manager.query('SELECT position, kind, description FROM requirements WHERE consultation_id = $1 ORDER BY position', [consultationId]);
  }

  amendments(consultationId: string): Promise<AmendmentRow[]> {
    return this.context.manager.query(
      `SELECT m.id, m.text, m.created_at AS "createdAt", u.full_name AS "createdByName"
         FROM consultation_amendments m LEFT JOIN users u ON u.id = m.created_by
        WHERE m.consultation_id = $1 ORDER BY m.created_at, m.id`,
      [consultationId],
    );
  }

  async invoice(appointmentId: string): Promise<InvoiceRow | null> {
    const rows: InvoiceRow[] = await this.context.manager.query(
      'SELECT id, number::text AS number, amount::text AS amount, status FROM invoices WHERE appointment_id = $1',
      [appointmentId],
    );
    return rows[0] ?? null;
  }

  async followUp(consultationId: string): Promise<FollowUpRow | null> {
    const rows: FollowUpRow[] = await this.context.manager.query(
      'SELECT due_on::text AS "dueOn", note, status FROM follow_ups WHERE consultation_id = $1',
      [consultationId],
    );
    return rows[0] ?? null;
  }

  async insertConsultation(c: NewConsultation): Promise<string> {
    const rows: { id: string }[] = await this.context.manager.query(
      `INSERT INTO consultations (appointment_id, symptoms, diagnosis, notes, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [c.appointmentId, c.symptoms, c.diagnosis, c.notes, c.createdBy],
    );
    return rows[0].id;
  }

  /** All lines in one statement, numbered 1..n in the order given. */
  async insertPrescriptions(consultationId: string, lines: readonly PrescriptionLine[]): Promise<void> {
    if (!lines.length) return;
    await this.context.manager.query(
      `INSERT INTO prescriptions (consultation_id, position, medication_name, dosage, duration, instructions)
       SELECT $1, l.n, l.medication_name, l.dosage, l.duration, l.instructions
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS l(medication_name, dosage, duration, instructions, n)`,
      [consultationId, lines.map((l) => l.medicationName), lines.map((l) => l.dosage), lines.map((l) => l.duration), lines.map((l) => l.instructions)],
    );
  }

  async insertRequirements(consultationId: string, lines: readonly RequirementLine[]): Promise<void> {
    if (!lines.length) return;
    await this.context.manager.query(
      `INSERT INTO requirements (consultation_id, position, kind, description)
       SELECT $1, l.n, l.kind, l.description FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS l(kind, description, n)`,
      [consultationId, lines.map((l) => l.kind), lines.map((l) => l.description)],
    );
  }

  async markCompleted(appointmentId: string): Promise<void> {
    await this.context.manager.query(`UPDATE appointments SET status = 'completed', updated_at = now() WHERE id = $1`, [appointmentId]);
  }

  /** The clinic's next invoice number, taken inside this transaction (a rollback gives it back: no gaps). */
  async nextInvoiceNumber(): Promise<string> {
    const rows: { number: string }[] = await this.context.manager.query(
      'WITH n AS (UPDATE invoice_counter SET last_number = last_number + 1 RETURNING last_number) SELECT last_number::text AS number FROM n',
    );
    return rows[0].number;
  }

  async insertInvoice(number: string, appointmentId: string, amount: string): Promise<InvoiceRow> {
    const rows: InvoiceRow[] = await this.context.manager.query(
      `INSERT INTO invoices (number, appointment_id, amount) VALUES ($1, $2, $3)
       RETURNING id, number::text AS number, amount::text AS amount, status`,
      [number, appointmentId, amount],
    );
    return rows[0];
  }

  async insertFollowUp(f: { consultationId: string; patientId: string; doctorId: string; dueOn: string; note: string }): Promise<void> {
    await this.context.manager.query(
      'INSERT INTO follow_ups (consultation_id, patient_id, doctor_id, due_on, note) VALUES ($1, $2, $3, $4, $5)',
      [f.consultationId, f.patientId, f.doctorId, f.dueOn, f.note],
    );
  }

  async insertAmendment(consultationId: string, text: string, createdBy: string): Promise<string> {
    const rows: { id: string }[] = await this.context.manager.query(
      'INSERT INTO consultation_amendments (consultation_id, text, created_by) VALUES ($1, $2, $3) RETURNING id',
      [consultationId, text, createdBy],
    );
    return rows[0].id;
  }

  /** Distinct medication names this clinic has prescribed, by case-insensitive prefix (the `lower(...) text_pattern_ops` index). */
  async medications(prefix: string, limit = 10): Promise<string[]> {
    const pattern = `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows: { name: string }[] = await this.context.manager.query(
      `SELECT name FROM (
         SELECT DISTINCT ON (lower(medication_name)) medication_name AS name
           FROM prescriptions WHERE lower(medication_name) LIKE $1
          ORDER BY lower(medication_name), medication_name) m
        ORDER BY lower(name) LIMIT $2`,
      [pattern, limit],
    );
    return rows.map((r) => r.name);
  }
}
