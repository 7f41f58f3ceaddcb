import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';

export interface SummaryRow {
  readonly revenue: string;
  readonly unpaid: string;
  readonly appointments: number;
  readonly completed: number;
  readonly cancelled: number;
  readonly noShow: number;
  readonly scheduled: number;
  readonly checkedIn: number;
  readonly completionRate: string | null;
  readonly cancellationRate: string | null;
  readonly noShowRate: string | null;
  readonly revenuePerDay: { day: string; amount: string }[];
  readonly revenuePerDoctor: { doctorId: string; doctorName: string; amount: string }[];
}

export interface SummaryQuery {
  /** Instants of the period, for appointments. */
  readonly start: Date;
  readonly end: Date;
  /** Clinic-local days of the period, for payments. */
  readonly from: string;
  readonly to: string;
  /** Null: all doctors. */
  readonly doctorIds: readonly string[] | null;
}

/**
 * The owner's numbers, in one SQL statement (definitions in docs/architecture.md §15):
 * - revenue: payments received on the period's days, on invoices not void;
 * - unpaid: the balance still owed on invoices (not void) of the period's appointments;
 * - appointments: every appointment starting in the period, any status;
 * - each rate: that status's share of the period's appointments, in percent with one decimal.
 */
const SUMMARY = `
  WITH appts AS (
         SELECT a.id, a.status FROM appointments a
          WHERE a.starts_at >= $1 AND a.starts_at < $2 AND ($5::bigint[] IS NULL OR a.doctor_id = ANY ($5))),
       pays AS (
         SELECT p.amount, p.paid_on, a.doctor_id
           FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN appointments a ON a.id = i.appointment_id
          WHERE p.paid_on BETWEEN $3::date AND $4::date AND i.status <> 'void' AND ($5::bigint[] IS NULL OR a.doctor_id = ANY ($5))),
       counts AS (
         SELECT count(*)::int AS appointments,
                count(*) FILTER (WHERE status = 'completed')::int AS completed,
                count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled,
                count(*) FILTER (WHERE status = 'no_show')::int AS no_show,
                count(*) FILTER (WHERE status = 'scheduled')::int AS scheduled,
                count(*) FILTER (WHERE status = 'checked_in')::int AS checked_in
           FROM appts)
  SELECT (SELECT coalesce(sum(amount), 0)::numeric(14, 2)::text FROM pays) AS revenue,
         (SELECT coalesce(sum(i.amount - i.paid_amount), 0)::numeric(14, 2)::text FROM invoices i JOIN appts a ON a.id = i.appointment_id WHERE i.status <> 'void') AS unpaid,
         c.appointments, c.completed, c.cancelled, c.no_show AS "noShow", c.scheduled, c.checked_in AS "checkedIn",
         round(100.0 * c.completed / nullif(c.appointments, 0), 1)::text AS "completionRate",
         round(100.0 * c.cancelled / nullif(c.appointments, 0), 1)::text AS "cancellationRate",
         round(100.0 * c.no_show / nullif(c.appointments, 0), 1)::text AS "noShowRate",
         (SELECT coalesce(json_agg(json_build_object('day', day::text, 'amount', amount::text) ORDER BY day), '[]')
            FROM (SELECT paid_on AS day, sum(amount) AS amount FROM pays GROUP BY paid_on) d) AS "revenuePerDay",
         (SELECT coalesce(json_agg(json_build_object('doctorId', d.doctor_id::text, 'doctorName', u.full_name, 'amount', d.amount::text) ORDER BY d.amount DESC, u.full_name), '[]')
            FROM (SELECT doctor_id, sum(amount) AS amount FROM pays GROUP BY doctor_id) d
            JOIN doctors dr ON dr.id = d.doctor_id JOIN users u ON u.id = dr.user_id) AS "revenuePerDoctor"
    FROM counts c`;

/** The SQL of the owner's reports, through the request's tenant transaction (read only). */
@Injectable()
export class ReportsRepository {
  constructor(private readonly context: TenantContext) {}

  async summary(q: SummaryQuery): Promise<SummaryRow> {
    const rows: SummaryRow[] = await this.context.manager.query(SUMMARY, [q.start, q.end, q.from, q.to, q.doctorIds]);
    return rows[0];
  }

  /** Every doctor, active or not (reports cover the past), for the filter. */
  doctors(): Promise<{ id: string; fullName: string; isActive: boolean }[]> {
    return this.context.manager.query(
      `SELECT d.id, u.full_name AS "fullName", u.is_active AS "isActive" FROM doctors d JOIN users u ON u.id = d.user_id ORDER BY u.full_name, d.id`,
    );
  }
}
