import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import type { PrescriptionLine } from './prescription';

/** A completed visit with its consultation, as the prescription header needs it. */
export interface PrescribedVisit {
  readonly appointmentId: string;
  readonly consultationId: string;
  readonly startsAt: Date;
  readonly patientName: string;
  readonly fileNumber: string;
  readonly dateOfBirth: string;
  readonly doctorName: string;
  readonly specialty: string | null;
  readonly diagnosis: string;
}

/** The SQL of printing a prescription, through the request's tenant transaction (read only). */
@Injectable()
export class PrescriptionsRepository {
  constructor(private readonly context: TenantContext) {}

  /** Only a completed visit that has a consultation (and, given `patientId`, only that patient's). */
  async completedVisit(appointmentId: string, patientId?: string): Promise<PrescribedVisit | undefined> {
    const rows: PrescribedVisit[] = await this.context.manager.query(
      `SELECT a.id AS "appointmentId", c.id AS "consultationId", a.starts_at AS "startsAt",
              p.first_name || ' ' || p.last_name AS "patientName", p.file_number AS "fileNumber", p.date_of_birth::text AS "dateOfBirth",
              u.full_name AS "doctorName", s.name::text AS specialty, c.diagnosis
         FROM appointments a
         JOIN consultations c ON c.appointment_id = a.id
         JOIN patients p ON p.id = a.patient_id
         JOIN doctors d ON d.id = a.doctor_id
         JOIN users u ON u.id = d.user_id
         LEFT JOIN specialties s ON s.id = d.specialty_id
        WHERE a.id = $1 AND a.status = 'completed' AND ($2::bigint IS NULL OR a.patient_id = $2)`,
      [appointmentId, patientId ?? null],
    );
    return rows[0];
  }

  lines(consultationId: string): Promise<PrescriptionLine[]> {
    return this.context.manager.query(
      `SELECT position, medication_name AS "medicationName", dosage, duration, instructions
         FROM prescriptions WHERE consultation_id = $1 ORDER BY position`,
      [consultationId],
    );
  }
}
