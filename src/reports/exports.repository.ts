import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';

export interface ExportQuery {
  readonly start: Date;
  readonly end: Date;
  readonly doctorIds: readonly string[] | null;
  readonly zone: string;
}

/** Rows come in pages keyed on (starts_at, id), so an export of two years never holds it all in memory. */
export const EXPORT_PAGE = 1000;

/** The SQL of the CSV exports, through the request's tenant transaction. */
@Injectable()
export class ExportsRepository {
  constructor(private readonly context: TenantContext) {}

  /** One page of the period's appointments after `after` ([startsAt, id]), as CSV cells. */
  appointments(q: ExportQuery, after: [Date, string] | null): Promise<{ startsAt: Date; id: string; cells: unknown[] }[]> {
    return this.context.manager.query(
      `SELECT a.starts_at AS "startsAt", a.id::text AS id,
              json_build_array(to_char(a.starts_at AT TIME ZONE $4, 'YYYY-MM-DD'), to_char(a.starts_at AT TIME ZONE $4, 'HH24:MI'),
                               u.full_name, p.file_number, p.first_name || ' ' || p.last_name, p.phone, a.status,
                               a.cost::text, a.is_priority, coalesce(a.cancel_reason, ''), a.id::text) AS cells
         FROM appointments a
         JOIN patients p ON p.id = a.patient_id JOIN doctors d ON d.id = a.doctor_id JOIN users u ON u.id = d.user_id
        WHERE a.starts_at >= $1 AND a.starts_at < $2 AND ($3::bigint[] IS NULL OR a.doctor_id = ANY ($3))
          AND ($5::timestamptz IS NULL OR (a.starts_at, a.id) > ($5, $6::bigint))
        ORDER BY a.starts_at, a.id LIMIT ${EXPORT_PAGE}`,
      [q.start, q.end, q.doctorIds, q.zone, after?.[0] ?? null, after?.[1] ?? null],
    );
  }

  /** One page of the invoices of the period's appointments, as CSV cells. */
  invoices(q: ExportQuery, after: [Date, string] | null): Promise<{ startsAt: Date; id: string; cells: unknown[] }[]> {
    return this.context.manager.query(
      `SELECT a.starts_at AS "startsAt", a.id::text AS id,
              json_build_array(i.number::text, to_char(a.starts_at AT TIME ZONE $4, 'YYYY-MM-DD'), u.full_name, p.file_number,
                               p.first_name || ' ' || p.last_name, i.amount::text, i.paid_amount::text, (i.amount - i.paid_amount)::text,
                               i.status, coalesce((SELECT string_agg(DISTINCT pm.method, ' ') FROM payments pm WHERE pm.invoice_id = i.id), ''),
                               coalesce(i.void_reason, '')) AS cells
         FROM invoices i JOIN appointments a ON a.id = i.appointment_id
         JOIN patients p ON p.id = a.patient_id JOIN doctors d ON d.id = a.doctor_id JOIN users u ON u.id = d.user_id
        WHERE a.starts_at >= $1 AND a.starts_at < $2 AND ($3::bigint[] IS NULL OR a.doctor_id = ANY ($3))
          AND ($5::timestamptz IS NULL OR (a.starts_at, a.id) > ($5, $6::bigint))
        ORDER BY a.starts_at, a.id LIMIT ${EXPORT_PAGE}`,
      [q.start, q.end, q.doctorIds, q.zone, after?.[0] ?? null, after?.[1] ?? null],
    );
  }
}
