import { Injectable } from '@nestjs/common';
import { sqlState, violatedConstraint } from '../database/sql';
import { TenantContext } from '../tenancy/tenant-context';
import type { AppointmentStatus, ExistingFile, Patient } from './patient';
import type { Gender } from './patient-rules';

/** The columns a patient file is written with. */
export interface PatientValues {
  readonly firstName: string;
  readonly lastName: string;
  readonly dateOfBirth: string;
  readonly gender: Gender;
  readonly phone: string | null;
  readonly address: string | null;
  readonly nationalId: string | null;
  readonly email: string | null;
}

/** A file and whose portal identity it is. */
export interface PatientRecord extends Patient {
  readonly userId: string | null;
}

/** A username that already exists, read under its row's lock. */
export interface ExistingUser {
  readonly id: string;
  readonly role: string;
  readonly phone: string | null;
  /** The file this user is the portal identity of, if any. */
  readonly linkedPatientId: string | null;
  readonly linkedFileNumber: string | null;
}

export interface SearchQuery {
  /** The whole term (normalised in SQL), for the ranking. */
  readonly term: string;
  /** Each word must occur in the name (normalised in SQL). Empty: no name condition. */
  readonly words: string[];
  /** The term read as a phone number (E.164), if it is one. */
  readonly phone: string | null;
  /** The file numbers a digits-only term may mean. */
  readonly fileNumbers: string[];
  readonly limit: number;
  readonly offset: number;
}

export interface AppointmentRow {
  readonly id: string;
  readonly doctorName: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly status: AppointmentStatus;
}

export interface PatientWithAppointments extends PatientRecord {
  readonly upcoming: AppointmentRow[];
  readonly past: AppointmentRow[];
}

/** The file's columns from `p` (patients, or a CTE over patients) with the portal username from `u`. */
const PATIENT_COLUMNS = `
  p.id::text AS id, p.file_number AS "fileNumber", p.first_name AS "firstName", p.last_name AS "lastName",
  p.first_name || ' ' || p.last_name AS "fullName", p.date_of_birth::text AS "dateOfBirth", p.gender, p.phone,
  p.address, p.national_id AS "nationalId", p.email, u.username::text AS "portalUsername", p.user_id::text AS "userId",
  p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

/** `%`, `_` and `\` in a search term are literal characters, not LIKE wildcards. */
const likeEscaped = (expr: string) => `replace(replace(replace(${expr}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')`;

/** One appointment of the patient, as JSON, with the doctor's name. */
const APPOINTMENT_JSON = `json_build_object('id', a.id::text, 'doctorName', du.full_name, 'startsAt', a.starts_at, 'endsAt', a.ends_at, 'status', a.status)`;
const APPOINTMENT_JOINS = `FROM appointments a JOIN doctors d ON d.id = a.doctor_id JOIN users du ON du.id = d.user_id`;

const UNIQUE_VIOLATION = '23505';

/**
 * SQL on the clinic's patients (and the portal identities in `users`), always through the request's
 * tenant transaction. No rules here: the service decides.
 */
@Injectable()
export class PatientsRepository {
  constructor(private readonly context: TenantContext) {}

  /**
   * One page of the files that match, and how many match, in one round trip. A file matches when
   * every word occurs in its normalised name (served by the trigram index), or the phone is its
   * phone, or one of the file numbers is its number; best name matches first.
   */
  async search(query: SearchQuery): Promise<{ total: number; patients: PatientRecord[] }> {
    const params: unknown[] = [query.limit, query.offset];
    const param = (value: unknown) => `$${params.push(value)}`;
    const matches: string[] = [];
    if (query.words.length > 0) {
      const words = query.words.map((w) => `p.search_name LIKE '%' || ${likeEscaped(`public.clinic_search_text(${param(w)})`)} || '%'`);
      matches.push(`(${words.join(' AND ')})`);
    }
    if (query.phone) matches.push(`p.phone = ${param(query.phone)}`);
    if (query.fileNumbers.length > 0) matches.push(`p.file_number = ANY(${param(query.fileNumbers)}::text[])`);
    const byName = 'p.last_name, p.first_name, p.id';
    // no term: every file by name, the page read straight off patients_name_idx
    const sql =
      matches.length === 0
        ? `SELECT (SELECT count(*)::int FROM patients) AS total,
                  (SELECT coalesce(json_agg(page), '[]') FROM (
                     SELECT ${PATIENT_COLUMNS} FROM patients p LEFT JOIN users u ON u.id = p.user_id
                      ORDER BY ${byName} LIMIT $1 OFFSET $2) page) AS patients`
        : `WITH matched AS (SELECT p.* FROM patients p WHERE ${matches.join(' OR ')}),
                page AS (
                  SELECT ${PATIENT_COLUMNS}
                    FROM matched p LEFT JOIN users u ON u.id = p.user_id
                   ORDER BY public.similarity(p.search_name, public.clinic_search_text(${param(query.term)})) DESC, ${byName}
                   LIMIT $1 OFFSET $2)
           SELECT (SELECT count(*)::int FROM matched) AS total,
                  (SELECT coalesce(json_agg(page), '[]') FROM page) AS patients`;
    const [row]: { total: number; patients: (Omit<PatientRecord, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string })[] }[] =
      await this.context.manager.query(sql, params);
    return { total: row.total, patients: row.patients.map((p) => ({ ...p, createdAt: new Date(p.createdAt), updatedAt: new Date(p.updatedAt) })) };
  }

  async find(id: string): Promise<PatientRecord | null> {
    const rows: PatientRecord[] = await this.context.manager.query(
      `SELECT ${PATIENT_COLUMNS} FROM patients p LEFT JOIN users u ON u.id = p.user_id WHERE p.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The file with its next appointments from `now` (not cancelled, soonest first) and the others (latest first), in one round trip. */
  async findWithAppointments(id: string, now: Date, limit: number): Promise<PatientWithAppointments | null> {
    const rows: PatientWithAppointments[] = await this.context.manager.query(
      `SELECT ${PATIENT_COLUMNS},
              (SELECT coalesce(json_agg(x.j ORDER BY x.starts_at), '[]') FROM (
                 SELECT ${APPOINTMENT_JSON} AS j, a.starts_at ${APPOINTMENT_JOINS}
                  WHERE a.patient_id = p.id AND a.starts_at >= $2 AND a.status <> 'cancelled'
                  ORDER BY a.starts_at LIMIT $3) x) AS upcoming,
              (SELECT coalesce(json_agg(x.j ORDER BY x.starts_at DESC), '[]') FROM (
                 SELECT ${APPOINTMENT_JSON} AS j, a.starts_at ${APPOINTMENT_JOINS}
                  WHERE a.patient_id = p.id AND (a.starts_at < $2 OR a.status = 'cancelled')
                  ORDER BY a.starts_at DESC LIMIT $3) x) AS past
         FROM patients p LEFT JOIN users u ON u.id = p.user_id
        WHERE p.id = $1`,
      [id, now, limit],
    );
    return rows[0] ?? null;
  }

  /** The file under its row's lock, so that two edits of it are applied one after the other. */
  async lock(id: string): Promise<PatientRecord | null> {
    const rows: PatientRecord[] = await this.context.manager.query(
      `SELECT ${PATIENT_COLUMNS} FROM patients p LEFT JOIN users u ON u.id = p.user_id WHERE p.id = $1 FOR UPDATE OF p`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Files with this phone and date of birth (served by patients_duplicate_idx). */
  async sameContact(phone: string, dateOfBirth: string): Promise<ExistingFile[]> {
    return this.context.manager.query(
      `SELECT id, file_number AS "fileNumber", first_name || ' ' || last_name AS "fullName"
         FROM patients WHERE phone = $1 AND date_of_birth = $2 ORDER BY id LIMIT 10`,
      [phone, dateOfBirth],
    );
  }

  /** The file that has this national id, other than `exceptId`. */
  async nationalIdHolder(nationalId: string, exceptId?: string): Promise<string | null> {
    const rows: { id: string }[] = await this.context.manager.query(
      'SELECT id FROM patients WHERE national_id = $1 AND id IS DISTINCT FROM $2::bigint',
      [nationalId, exceptId ?? null],
    );
    return rows[0]?.id ?? null;
  }

  /** The user with this username (any letter case), locked, with the file it is linked to. */
  async lockUser(username: string): Promise<ExistingUser | null> {
    const rows: ExistingUser[] = await this.context.manager.query(
      `SELECT u.id, u.role, u.phone, p.id AS "linkedPatientId", p.file_number AS "linkedFileNumber"
         FROM users u LEFT JOIN patients p ON p.user_id = u.id
        WHERE u.username = $1::citext
          FOR UPDATE OF u`,
      [username],
    );
    return rows[0] ?? null;
  }

  /** A patient's portal identity (no password); null when the username was taken meanwhile (the transaction stays usable). */
  async insertPortalUser(user: { username: string; fullName: string; phone: string }): Promise<string | null> {
    const rows: { id: string }[] = await this.context.manager.query(
      `INSERT INTO users (username, full_name, role, phone) VALUES ($1, $2, 'patient', $3)
       ON CONFLICT (username) DO NOTHING RETURNING id`,
      [user.username, user.fullName, user.phone],
    );
    return rows[0]?.id ?? null;
  }

  /** The portal identity follows the file's name and phone. */
  async updatePortalUser(userId: string, user: { fullName: string; phone: string }): Promise<void> {
    await this.context.manager.query(`UPDATE users SET full_name = $2, phone = $3, updated_at = now() WHERE id = $1 AND role = 'patient'`, [
      userId,
      user.fullName,
      user.phone,
    ]);
  }

  /**
   * A new file, its number drawn from the clinic's sequence. Null when a unique column was taken
   * meanwhile (national id, or the portal identity linked to another file): the transaction stays usable.
   */
  async insert(values: PatientValues, userId: string | null): Promise<PatientRecord | null> {
    const rows: PatientRecord[] = await this.context.manager.query(
      `WITH created AS (
         INSERT INTO patients (first_name, last_name, date_of_birth, gender, phone, address, national_id, user_id, email)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT DO NOTHING RETURNING *)
       SELECT ${PATIENT_COLUMNS} FROM created p LEFT JOIN users u ON u.id = p.user_id`,
      [values.firstName, values.lastName, values.dateOfBirth, values.gender, values.phone, values.address, values.nationalId, userId, values.email],
    );
    return rows[0] ?? null;
  }

  /**
   * The changed file (one round trip: the UPDATE inside a CTE). `taken` when a unique column
   * (national id, portal identity) belongs to another file: the caller refuses the request, and the
   * failed statement is rolled back with it.
   */
  async update(id: string, values: PatientValues, userId: string | null): Promise<PatientRecord | 'taken' | null> {
    try {
      const rows: PatientRecord[] = await this.context.manager.query(
        `WITH changed AS (
           UPDATE patients
              SET first_name = $2, last_name = $3, date_of_birth = $4, gender = $5, phone = $6, address = $7,
                  national_id = $8, user_id = $9, email = $10, updated_at = now()
            WHERE id = $1 RETURNING *)
         SELECT ${PATIENT_COLUMNS} FROM changed p LEFT JOIN users u ON u.id = p.user_id`,
        [id, values.firstName, values.lastName, values.dateOfBirth, values.gender, values.phone, values.address, values.nationalId, userId, values.email],
      );
      return rows[0] ?? null;
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION && /^patients_/.test(violatedConstraint(error) ?? '')) return 'taken';
      throw error;
    }
  }

  /** Those of the candidate usernames that nobody has (in any letter case), in the candidates' order. */
  async freeUsernames(candidates: string[]): Promise<string[]> {
    const rows: { username: string }[] = await this.context.manager.query(
      `SELECT c.username FROM unnest($1::text[]) WITH ORDINALITY AS c (username, n)
        WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.username = c.username::citext)
        ORDER BY c.n`,
      [candidates],
    );
    return rows.map((r) => r.username);
  }
}
