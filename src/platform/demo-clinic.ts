import type { DataSource, QueryRunner } from 'typeorm';
import { enterTenant, inTransaction } from '../database/sql';
import { hashPassword } from '../users/passwords';
import type { UserRole } from '../users/user.entity';
import type { ProvisioningService } from './provisioning.service';

export interface DemoLogin {
  readonly role: UserRole;
  readonly username: string;
  readonly password: string;
  readonly fullName: string;
}

export const DEMO_SLUG = 'demo';

/** The seed story's patient: signs in to the portal with phone + username, no password. */
export const DEMO_PATIENT = { username: 'amir', phone: '0501234567', e164: '+20501234567', fullName: 'Amir Hassan' } as const;

/** The demo clinic's phone as patients see it (a Cairo landline). */
export const DEMO_CLINIC_PHONE = '+20223456789';

/** The seed story's staff. Development-only passwords, printed at start; production never seeds. */
export const DEMO_STAFF: readonly DemoLogin[] = [
  { role: 'admin', username: 'kareem', password: 'demo-owner-2026', fullName: 'Kareem Adel' },
  { role: 'doctor', username: 'ahmed', password: 'demo-doctor-2026', fullName: 'Dr. Ahmed Hassan' },
  { role: 'reception', username: 'sarah', password: 'demo-desk-2026', fullName: 'Sarah Mahmoud' },
];

/**
 * Creates the `demo` clinic with its staff (each later feature extends the demo data here). Tests
 * that need a clinic full of realistic data make one under another slug.
 */
export async function createDemoClinic(provisioning: ProvisioningService, dataSource: DataSource, slug = DEMO_SLUG): Promise<readonly DemoLogin[]> {
  const [owner, ...others] = DEMO_STAFF;
  const tenant = await provisioning.create({
    slug,
    displayName: 'Demo Clinic',
    admin: { username: owner.username, password: owner.password, fullName: owner.fullName },
  });
  const hashed = await Promise.all(others.map(async (s) => ({ ...s, hash: await hashPassword(s.password) })));
  await inTransaction(dataSource, async (runner) => {
    await enterTenant(runner, tenant);
    for (const staff of hashed) {
      const [user] = (await runner.query('INSERT INTO users (username, full_name, role, password_hash) VALUES ($1, $2, $3, $4) RETURNING id', [
        staff.username,
        staff.fullName,
        staff.role,
        staff.hash,
      ])) as { id: string }[];
      if (staff.role === 'doctor') {
        await runner.query(
          `WITH specialty AS (INSERT INTO specialties (name) VALUES ('Cardiology') RETURNING id)
           INSERT INTO doctors (user_id, specialty_id, consultation_fee, slot_minutes) SELECT $1, id, 150.00, 15 FROM specialty`,
          [user.id],
        );
      }
    }
    const [amir] = (await runner.query(`INSERT INTO users (username, full_name, role, phone) VALUES ($1, $2, 'patient', $3) RETURNING id`, [
      DEMO_PATIENT.username,
      DEMO_PATIENT.fullName,
      DEMO_PATIENT.e164,
    ])) as { id: string }[];
    await seedFrontDesk(runner, tenant.timeZone, amir.id);
  });
  return DEMO_STAFF;
}

/** Other patients of the demo clinic (the seed story's Amir is the first file). */
const DEMO_PATIENTS: readonly [string, string, string, 'male' | 'female', string][] = [
  ['Mona', 'Adel', '1990-03-02', 'female', '+201001112233'],
  ['Omar', 'Said', '1978-11-20', 'male', '+201112223344'],
  ['Fatma', 'Ali', '1965-07-09', 'female', '+201223334455'],
  ['أحمد', 'عبد الرحمن', '1982-01-25', 'male', '+201534445566'],
  ['Layla', 'Hassan', '2015-05-30', 'female', '+201001112233'],
];

/**
 * Dr. Ahmed's week (Saturday to Thursday, 09:00-13:00 and 17:00-21:00 in the clinic's zone), the
 * patients' files and a week of appointments from today, so the front desk has a day to look at.
 */
async function seedFrontDesk(runner: QueryRunner, timeZone: string, amirUserId: string): Promise<void> {
  await runner.query(
    `INSERT INTO working_hours (doctor_id, weekday, starts, ends)
     SELECT d.id, weekday, starts, ends
       FROM doctors d, unnest(ARRAY[1, 2, 3, 4, 6, 7]) AS weekday, (VALUES (time '09:00', time '13:00'), (time '17:00', time '21:00')) AS r(starts, ends)`,
  );
  await runner.query(
    `INSERT INTO patients (first_name, last_name, date_of_birth, gender, phone, address, user_id, email)
     VALUES ('Amir', 'Hassan', '1985-06-15', 'male', $1, '123 Main St', $2, 'amir.hassan@example.com')`,
    [DEMO_PATIENT.e164, amirUserId],
  );
  for (const [first, last, born, gender, phone] of DEMO_PATIENTS) {
    await runner.query('INSERT INTO patients (first_name, last_name, date_of_birth, gender, phone) VALUES ($1, $2, $3, $4, $5)', [first, last, born, gender, phone]);
  }
  // an address for notices (the development mailbox shows them at /admin/outbox) for all but one
  await runner.query(
    `UPDATE patients SET email = lower(regexp_replace(first_name || '.' || last_name, '[^A-Za-z.]', '', 'g')) || '@example.com'
      WHERE email IS NULL AND first_name ~ '^[A-Za-z]+$' AND id <> (SELECT max(id) FROM patients WHERE first_name ~ '^[A-Za-z]+$')`,
  );
  // how patients reach the clinic, shown in the portal ("call the clinic")
  await runner.query(`UPDATE clinic_settings SET contact_phone = $1, address = $2`, [DEMO_CLINIC_PHONE, '12 Tahrir Street, Cairo']);
  // the week ahead, in the clinic's zone: on each working day a few of the patients; Amir at 10:30 today only
  await runner.query(
    `WITH days AS (
       SELECT (now() AT TIME ZONE $1)::date + n AS day FROM generate_series(0, 6) AS n),
     plan AS (
       SELECT day, t.at, t.patient_offset FROM days,
         (VALUES (time '09:00', 1), (time '09:30', 2), (time '10:30', 0), (time '11:00', 3), (time '12:00', 4), (time '17:30', 5)) AS t(at, patient_offset)
        WHERE extract(isodow FROM day) <> 5)
     INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, cost, is_priority, status, checked_in_at)
     SELECT p.id, d.id, (plan.day + plan.at) AT TIME ZONE $1, (plan.day + plan.at + make_interval(mins => d.slot_minutes)) AT TIME ZONE $1,
            d.consultation_fee, plan.at = time '09:00',
            -- earlier today: the patients came and wait for the doctor (not no-shows for the sweep to find)
            CASE WHEN (plan.day + plan.at) AT TIME ZONE $1 < now() THEN 'checked_in' ELSE 'scheduled' END,
            CASE WHEN (plan.day + plan.at) AT TIME ZONE $1 < now() THEN (plan.day + plan.at) AT TIME ZONE $1 END
       FROM plan
       JOIN patients p ON p.id = (SELECT min(id) FROM patients)
                                 + CASE WHEN plan.patient_offset = 0 AND plan.day > (SELECT min(day) FROM days) THEN 1 + extract(day FROM plan.day)::int % 5
                                        ELSE plan.patient_offset END
       CROSS JOIN doctors d`,
    [timeZone],
  );
  await seedPastMonth(runner, timeZone);
}

/**
 * The four weeks before today, so the owner's dashboard has a month to show: on each working day the
 * other patients (not Amir: his first visit is today) at four times, mostly completed — with the
 * visit record and an invoice, most paid in cash or by card the same day — some cancelled or missed.
 */
async function seedPastMonth(runner: QueryRunner, timeZone: string): Promise<void> {
  await runner.query(
    `WITH plan AS (
       SELECT day, t.at, t.k, row_number() OVER (ORDER BY day, t.at) AS n
         FROM (SELECT (now() AT TIME ZONE $1)::date - back AS day FROM generate_series(1, 28) AS back) d,
              (VALUES (time '09:00', 1), (time '09:30', 2), (time '11:00', 3), (time '17:30', 4)) AS t(at, k)
        WHERE extract(isodow FROM day) <> 5),
     booked AS (
       INSERT INTO appointments (patient_id, doctor_id, starts_at, ends_at, cost, status, cancelled_at, cancel_reason, no_show_at)
       SELECT (SELECT min(id) FROM patients) + 1 + (plan.n % 5), d.id, (plan.day + plan.at) AT TIME ZONE $1,
              (plan.day + plan.at + make_interval(mins => d.slot_minutes)) AT TIME ZONE $1, d.consultation_fee,
              CASE WHEN plan.n % 19 = 0 THEN 'cancelled' WHEN plan.n % 23 = 0 THEN 'no_show' ELSE 'completed' END,
              CASE WHEN plan.n % 19 = 0 THEN (plan.day + plan.at) AT TIME ZONE $1 - interval '1 day' END,
              CASE WHEN plan.n % 19 = 0 THEN 'Patient called to cancel' END,
              CASE WHEN plan.n % 19 <> 0 AND plan.n % 23 = 0 THEN (plan.day + plan.at) AT TIME ZONE $1 + interval '1 hour' END
         FROM plan CROSS JOIN doctors d
       RETURNING id, starts_at, cost, status),
     seen AS (
       INSERT INTO consultations (appointment_id, symptoms, diagnosis) SELECT id, 'Routine check', 'Stable' FROM booked WHERE status = 'completed')
     INSERT INTO invoices (number, appointment_id, amount, status, paid_amount, paid_at, payment_method)
     SELECT row_number() OVER (ORDER BY starts_at, id), id, cost,
            CASE WHEN starts_at > now() - interval '3 days' THEN 'pending' ELSE 'paid' END,
            CASE WHEN starts_at > now() - interval '3 days' THEN 0 ELSE cost END,
            CASE WHEN starts_at > now() - interval '3 days' THEN NULL ELSE starts_at + interval '20 minutes' END,
            CASE WHEN starts_at > now() - interval '3 days' THEN NULL WHEN id % 3 = 0 THEN 'card' ELSE 'cash' END
       FROM booked WHERE status = 'completed'`,
    [timeZone],
  );
  await runner.query(
    `INSERT INTO payments (invoice_id, amount, method, paid_on, reference)
     SELECT i.id, i.amount, i.payment_method, (i.paid_at AT TIME ZONE $1)::date, '' FROM invoices i WHERE i.status = 'paid'`,
    [timeZone],
  );
  await runner.query('UPDATE invoice_counter SET last_number = (SELECT coalesce(max(number), 0) FROM invoices)');
}
