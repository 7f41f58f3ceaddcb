import type { DataSource } from 'typeorm';
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

/** The seed story's staff. Development-only passwords, printed at start; production never seeds. */
export const DEMO_STAFF: readonly DemoLogin[] = [
  { role: 'admin', username: 'kareem', password: 'demo-owner-2026', fullName: 'Kareem Adel' },
  { role: 'doctor', username: 'ahmed', password: 'demo-doctor-2026', fullName: 'Dr. Ahmed Hassan' },
  { role: 'reception', username: 'sarah', password: 'demo-desk-2026', fullName: 'Sarah Mahmoud' },
];

/** Creates the `demo` clinic with its staff (each later feature extends the demo data here). */
export async function createDemoClinic(provisioning: ProvisioningService, dataSource: DataSource): Promise<readonly DemoLogin[]> {
  const [owner, ...others] = DEMO_STAFF;
  const tenant = await provisioning.create({
    slug: DEMO_SLUG,
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
    await runner.query(`INSERT INTO users (username, full_name, role, phone) VALUES ($1, $2, 'patient', $3)`, [
      DEMO_PATIENT.username,
      DEMO_PATIENT.fullName,
      DEMO_PATIENT.e164,
    ]);
  });
  return DEMO_STAFF;
}
