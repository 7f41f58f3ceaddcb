import type { DataSource } from 'typeorm';
import type { Tenant } from '../../src/platform/tenant';
import { asClinic, createUser, type TestUser } from './test-app';

export interface TestDoctor extends TestUser {
  /** `doctors.id` (appointments and hours refer to it), not the user id. */
  readonly doctorId: string;
}

export interface HoursRange {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  readonly starts: string;
  readonly ends: string;
}

/** Every day of the week, 09:00-17:00. */
export const ALL_WEEK: HoursRange[] = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, starts: '09:00', ends: '17:00' }));

/** A doctor (a staff user with a `doctors` row) with weekly hours. */
export async function createDoctor(
  dataSource: DataSource,
  tenant: Tenant,
  input: { fullName?: string; fee?: string; slotMinutes?: number; specialty?: string; hours?: HoursRange[] } = {},
): Promise<TestDoctor> {
  const user = await createUser(dataSource, tenant, { role: 'doctor', fullName: input.fullName });
  const [doctor] = await asClinic<{ id: string }[]>(
    dataSource,
    tenant,
    `WITH specialty AS (
       INSERT INTO specialties (name) VALUES ($4) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id)
     INSERT INTO doctors (user_id, specialty_id, consultation_fee, slot_minutes)
     SELECT $1, id, $2, $3 FROM specialty RETURNING id`,
    [user.id, input.fee ?? '150.00', input.slotMinutes ?? 15, input.specialty ?? 'Cardiology'],
  );
  for (const range of input.hours ?? ALL_WEEK) {
    await asClinic(dataSource, tenant, 'INSERT INTO working_hours (doctor_id, weekday, starts, ends) VALUES ($1, $2, $3, $4)', [
      doctor.id,
      range.weekday,
      range.starts,
      range.ends,
    ]);
  }
  return { ...user, doctorId: doctor.id };
}

export interface TestPatient {
  readonly id: string;
  readonly fileNumber: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly phone: string | null;
}

/** A patient file (without a portal identity unless `username` is given). */
export async function createPatient(
  dataSource: DataSource,
  tenant: Tenant,
  input: { firstName?: string; lastName?: string; dateOfBirth?: string; gender?: 'male' | 'female'; phone?: string; username?: string } = {},
): Promise<TestPatient> {
  const firstName = input.firstName ?? 'Test';
  const lastName = input.lastName ?? `Patient${Math.random().toString(36).slice(2, 7)}`;
  const phone = input.phone ?? null;
  const user = input.username
    ? await createUser(dataSource, tenant, { role: 'patient', username: input.username, phone: phone ?? undefined, fullName: `${firstName} ${lastName}` })
    : undefined;
  const [row] = await asClinic<{ id: string; file_number: string }[]>(
    dataSource,
    tenant,
    `INSERT INTO patients (first_name, last_name, date_of_birth, gender, phone, user_id)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, file_number`,
    [firstName, lastName, input.dateOfBirth ?? '1985-06-15', input.gender ?? 'male', phone, user?.id ?? null],
  );
  return { id: row.id, fileNumber: row.file_number, firstName, lastName, phone };
}
