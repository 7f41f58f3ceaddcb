import { Injectable } from '@nestjs/common';
import { TenantContext } from '../tenancy/tenant-context';
import type { InvoiceStatus, PaymentMethod } from './invoice';

export interface InvoiceRow {
  readonly id: string;
  readonly number: string;
  readonly status: InvoiceStatus;
  readonly amount: string;
  readonly paid: string;
  readonly balance: string;
  readonly appointmentId: string;
  readonly startsAt: Date;
  readonly patientId: string;
  readonly patientName: string;
  readonly fileNumber: string;
  readonly doctorId: string;
  readonly doctorName: string;
  readonly voidReason: string | null;
}

export interface PaymentRow {
  readonly id: string;
  readonly amount: string;
  readonly method: PaymentMethod;
  readonly paidOn: string;
  readonly reference: string;
  readonly takenBy: string | null;
}

export interface InvoiceFilter {
  readonly status?: InvoiceStatus;
  readonly doctorId?: string;
  /** The visits' instants: [start, end). */
  readonly start?: Date;
  readonly end?: Date;
}

const ROW = `
  SELECT i.id, i.number::text AS number, i.status, i.amount::text AS amount, i.paid_amount::text AS paid, (i.amount - i.paid_amount)::text AS balance,
         a.id AS "appointmentId", a.starts_at AS "startsAt", p.id AS "patientId", p.first_name || ' ' || p.last_name AS "patientName",
         p.file_number AS "fileNumber", d.id AS "doctorId", u.full_name AS "doctorName", i.void_reason AS "voidReason"
    FROM invoices i
    JOIN appointments a ON a.id = i.appointment_id
    JOIN patients p ON p.id = a.patient_id
    JOIN doctors d ON d.id = a.doctor_id
    JOIN users u ON u.id = d.user_id`;

const WHERE = `
   WHERE ($1::text IS NULL OR i.status = $1) AND ($2::bigint IS NULL OR a.doctor_id = $2)
     AND ($3::timestamptz IS NULL OR a.starts_at >= $3) AND ($4::timestamptz IS NULL OR a.starts_at < $4)`;

/** The SQL of billing, through the request's tenant transaction. Amounts are added up in SQL (numeric), never in floats. */
@Injectable()
export class InvoicesRepository {
  constructor(private readonly context: TenantContext) {}

  /** A page of invoices, newest visit first, and the totals of every invoice the filter matches. */
  async list(f: InvoiceFilter, limit: number, offset: number): Promise<{ rows: InvoiceRow[]; totals: { count: number; amount: string; paid: string; balance: string } }> {
    const params = [f.status ?? null, f.doctorId ?? null, f.start ?? null, f.end ?? null];
    const rows: InvoiceRow[] = await this.context.manager.query(`${ROW} ${WHERE} ORDER BY a.starts_at DESC, i.id DESC LIMIT $5 OFFSET $6`, [...params, limit, offset]);
    const [totals]: { count: number; amount: string; paid: string; balance: string }[] = await this.context.manager.query(
      `SELECT count(*)::int AS count,
              coalesce(sum(i.amount) FILTER (WHERE i.status <> 'void'), 0)::numeric(14, 2)::text AS amount,
              coalesce(sum(i.paid_amount) FILTER (WHERE i.status <> 'void'), 0)::numeric(14, 2)::text AS paid,
              coalesce(sum(i.amount - i.paid_amount) FILTER (WHERE i.status <> 'void'), 0)::numeric(14, 2)::text AS balance
         FROM invoices i JOIN appointments a ON a.id = i.appointment_id ${WHERE}`,
      params,
    );
    return { rows, totals };
  }

  async find(id: string): Promise<InvoiceRow | null> {
    const rows: InvoiceRow[] = await this.context.manager.query(`${ROW} WHERE i.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Locks the invoice for the rest of the transaction: payments and voids of one invoice run one after the other. */
  async lock(id: string): Promise<InvoiceRow | null> {
    const rows: InvoiceRow[] = await this.context.manager.query(`${ROW} WHERE i.id = $1 FOR UPDATE OF i`, [id]);
    return rows[0] ?? null;
  }

  payments(invoiceId: string): Promise<PaymentRow[]> {
    return this.context.manager.query(
      `SELECT pm.id, pm.amount::text AS amount, pm.method, pm.paid_on::text AS "paidOn", pm.reference, u.full_name AS "takenBy"
         FROM payments pm LEFT JOIN users u ON u.id = pm.created_by WHERE pm.invoice_id = $1 ORDER BY pm.paid_on, pm.id`,
      [invoiceId],
    );
  }

  /** Records a payment and moves the invoice to partial or paid (the database refuses more than the balance). */
  async addPayment(invoiceId: string, p: { amount: string; method: PaymentMethod; paidOn: string; reference: string; by: string }): Promise<string> {
    const [row]: { id: string }[] = await this.context.manager.query(
      `INSERT INTO payments (invoice_id, amount, method, paid_on, reference, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [invoiceId, p.amount, p.method, p.paidOn, p.reference, p.by],
    );
    await this.context.manager.query(
      `UPDATE invoices
          SET paid_amount = paid_amount + $2::numeric,
              status = CASE WHEN paid_amount + $2::numeric = amount THEN 'paid' ELSE 'partial' END,
              paid_at = CASE WHEN paid_amount + $2::numeric = amount THEN now() END,
              payment_method = $3, updated_at = now()
        WHERE id = $1`,
      [invoiceId, p.amount, p.method],
    );
    return row.id;
  }

  async markVoid(invoiceId: string, reason: string, by: string): Promise<void> {
    await this.context.manager.query(
      `UPDATE invoices SET status = 'void', void_reason = $2, voided_at = now(), voided_by = $3, paid_at = NULL, updated_at = now() WHERE id = $1`,
      [invoiceId, reason, by],
    );
  }

  /** A day's payments on invoices that are not void: totals per method and per doctor, and each payment. */
  async closeOut(day: string): Promise<{
    byMethod: { method: PaymentMethod; count: number; amount: string }[];
    byDoctor: { doctorName: string; count: number; amount: string }[];
    payments: { number: string; patientName: string; fileNumber: string; doctorName: string; method: PaymentMethod; amount: string; reference: string }[];
    total: string;
  }> {
    const [row] = await this.context.manager.query(
      `WITH day AS (
         SELECT pm.amount, pm.method, pm.reference, pm.id, i.number, u.full_name AS doctor, p.first_name || ' ' || p.last_name AS patient, p.file_number
           FROM payments pm JOIN invoices i ON i.id = pm.invoice_id JOIN appointments a ON a.id = i.appointment_id
           JOIN patients p ON p.id = a.patient_id JOIN doctors d ON d.id = a.doctor_id JOIN users u ON u.id = d.user_id
          WHERE pm.paid_on = $1 AND i.status <> 'void')
       SELECT coalesce((SELECT sum(amount) FROM day), 0)::numeric(14, 2)::text AS total,
              (SELECT coalesce(json_agg(json_build_object('method', method, 'count', n, 'amount', amount::text) ORDER BY method), '[]')
                 FROM (SELECT method, count(*) AS n, sum(amount) AS amount FROM day GROUP BY method) m) AS "byMethod",
              (SELECT coalesce(json_agg(json_build_object('doctorName', doctor, 'count', n, 'amount', amount::text) ORDER BY doctor), '[]')
                 FROM (SELECT doctor, count(*) AS n, sum(amount) AS amount FROM day GROUP BY doctor) m) AS "byDoctor",
              (SELECT coalesce(json_agg(json_build_object('number', number::text, 'patientName', patient, 'fileNumber', file_number, 'doctorName', doctor,
                                                          'method', method, 'amount', amount::text, 'reference', reference) ORDER BY id), '[]') FROM day) AS payments`,
      [day],
    );
    return row;
  }

  doctors(): Promise<{ id: string; fullName: string }[]> {
    return this.context.manager.query(`SELECT d.id, u.full_name AS "fullName" FROM doctors d JOIN users u ON u.id = d.user_id ORDER BY u.full_name, d.id`);
  }
}
