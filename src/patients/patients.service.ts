import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../common/clock';
import { t } from '../i18n/i18n';
import { toE164 } from '../common/phone';
import { TenantContext } from '../tenancy/tenant-context';
import type { CreatePatientDto } from './dto/create-patient.dto';
import type { UpdatePatientDto } from './dto/update-patient.dto';
import type { Patient, PatientAppointment, PatientPage, PatientProfile } from './patient';
import {
  ageOn,
  birthDateProblem,
  fileNumberCandidates,
  fullNameOf,
  localToday,
  PAGE_SIZE,
  PATIENT_ID,
  pageNumber,
  searchTerm,
  searchWords,
  usernameBase,
  usernameCandidates,
} from './patient-rules';
import { invalidPatient, PatientException, patientNotFound, possibleDuplicate } from './patients.exception';
import { type AppointmentRow, type PatientRecord, PatientsRepository, type PatientValues } from './patients.repository';

/** How many upcoming and how many past appointments a profile shows. */
const PROFILE_APPOINTMENTS = 50;

/** What a registration did about the portal identity. */
export type PortalIdentity = 'created' | 'linked' | 'none';

export interface PatientChange {
  readonly patient: Patient;
  readonly portal: PortalIdentity;
}

/**
 * The front desk's rules for patient files and their portal identities. Each method runs inside the
 * request's one transaction, so a file, its portal identity and its audit entry commit together.
 */
@Injectable()
export class PatientsService {
  constructor(
    private readonly patients: PatientsRepository,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * A page of files matching the term: by name (any part, any letter case, without accents, Arabic
   * spelling variants alike), by phone in any format, or by file number with or without its zeros.
   * No term: every file, by name.
   */
  async search(rawTerm: unknown, rawPage: unknown): Promise<PatientPage> {
    const q = searchTerm(rawTerm);
    const page = pageNumber(rawPage);
    const found = await this.patients.search({
      term: q,
      words: searchWords(q),
      phone: q ? toE164(q, this.context.tenant.phoneRegion) : null,
      fileNumbers: fileNumberCandidates(q),
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    });
    return {
      q,
      page,
      pageSize: PAGE_SIZE,
      total: found.total,
      pages: Math.max(1, Math.ceil(found.total / PAGE_SIZE)),
      patients: found.patients.map(publicView),
    };
  }

  async get(rawId: string): Promise<Patient> {
    return publicView(this.existing(await this.patients.find(this.idOf(rawId))));
  }

  /** The file, the age today and the appointments, times in the clinic's time zone. */
  async profile(rawId: string): Promise<PatientProfile> {
    const now = this.clock.now();
    const found = this.existing(await this.patients.findWithAppointments(this.idOf(rawId), now, PROFILE_APPOINTMENTS));
    const { upcoming, past, ...record } = found;
    return {
      patient: publicView(record),
      age: ageOn(record.dateOfBirth, this.today()),
      upcoming: upcoming.map((a) => this.appointment(a)),
      past: past.map((a) => this.appointment(a)),
    };
  }

  /**
   * A new file. With a username (and a phone) it gets a portal identity: a new patient user, or an
   * existing one with that username and the same phone. The same phone and date of birth as an
   * existing file is refused as a possible duplicate unless the request confirms it.
   */
  async create(actor: Principal, input: CreatePatientDto, ip: string | undefined): Promise<PatientChange> {
    const values = this.checked({
      firstName: input.firstName,
      lastName: input.lastName,
      dateOfBirth: input.dateOfBirth,
      gender: input.gender,
      phone: input.phone ?? null,
      address: input.address ?? null,
      nationalId: input.nationalId ?? null,
      email: input.email?.toLowerCase() ?? null,
    }, input.username);

    if (values.phone && input.confirmDuplicate !== true) {
      const same = await this.patients.sameContact(values.phone, values.dateOfBirth);
      if (same.length > 0) throw possibleDuplicate(same);
    }
    if (values.nationalId && (await this.patients.nationalIdHolder(values.nationalId))) throw nationalIdTaken();
    const portal = input.username ? await this.portalIdentity(input.username, values) : { userId: null, portal: 'none' as const };

    const created = await this.patients.insert(values, portal.userId);
    if (!created) {
      // taken between the checks above and the insert
      if (values.nationalId && (await this.patients.nationalIdHolder(values.nationalId))) throw nationalIdTaken();
      throw usernameTaken(input.username ?? '', t('patients:fields.usernameTakenMeanwhile'));
    }
    await this.audit.record({
      action: 'patient.created',
      actorId: actor.userId,
      entity: 'patient',
      entityId: created.id,
      details: {
        fileNumber: created.fileNumber,
        portalIdentity: portal.portal,
        ...(created.portalUsername ? { username: created.portalUsername } : {}),
        ...(input.confirmDuplicate === true ? { confirmedDuplicate: true } : {}),
      },
      ip,
    });
    return { patient: publicView(created), portal: portal.portal };
  }

  /**
   * Changes the file. The portal identity follows its name and phone (and keeps needing a phone);
   * a file without one gets one when a username is given.
   */
  async update(actor: Principal, rawId: string, input: UpdatePatientDto, ip: string | undefined): Promise<PatientChange> {
    const id = this.idOf(rawId);
    const before = this.existing(await this.patients.lock(id));
    const keep = <T>(given: T | undefined, current: T): T => (given === undefined ? current : given);
    if (before.userId && input.username !== undefined && input.username.toLowerCase() !== before.portalUsername?.toLowerCase()) {
      throw invalidPatient({ username: [t('patients:fields.usernameFixed', { username: before.portalUsername })] });
    }
    const wantsPortal = !before.userId && input.username !== undefined;
    const values = this.checked(
      {
        firstName: keep(input.firstName, before.firstName),
        lastName: keep(input.lastName, before.lastName),
        dateOfBirth: keep(input.dateOfBirth, before.dateOfBirth),
        gender: keep(input.gender, before.gender),
        phone: keep(input.phone, before.phone),
        address: keep(input.address, before.address),
        nationalId: keep(input.nationalId, before.nationalId),
        email: keep(input.email?.toLowerCase(), before.email),
      },
      wantsPortal ? input.username : undefined,
      before,
    );
    if (values.nationalId && values.nationalId !== before.nationalId && (await this.patients.nationalIdHolder(values.nationalId, id))) {
      throw nationalIdTaken();
    }
    const portal = wantsPortal ? await this.portalIdentity(input.username!, values, id) : { userId: before.userId, portal: 'none' as const };

    const changes = changedFields(before, values);
    if (portal.portal !== 'none') changes.portalIdentity = { from: null, to: input.username };
    if (Object.keys(changes).length === 0) return { patient: publicView(before), portal: 'none' };

    const after = await this.patients.update(id, values, portal.userId);
    if (after === 'taken') throw values.nationalId !== before.nationalId ? nationalIdTaken() : usernameTaken(input.username ?? '');
    if (!after) throw patientNotFound();
    if (before.userId && values.phone) {
      await this.patients.updatePortalUser(before.userId, { fullName: fullNameOf(values.firstName, values.lastName), phone: values.phone });
    }
    await this.audit.record({
      action: 'patient.updated',
      actorId: actor.userId,
      entity: 'patient',
      entityId: id,
      details: { fileNumber: after.fileNumber, changes },
      ip,
    });
    return { patient: publicView(after), portal: portal.portal };
  }

  /** A free portal username made from the name, or '' when the name gives none (e.g. written in Arabic only). */
  async suggestUsername(firstName: unknown, lastName: unknown): Promise<string> {
    const base = usernameBase(typeof firstName === 'string' ? firstName : '', typeof lastName === 'string' ? lastName : '');
    if (!base) return '';
    const [free] = await this.patients.freeUsernames(usernameCandidates(base));
    return free ?? '';
  }

  /** The clinic's date today. */
  today(): string {
    return localToday(this.clock.now(), this.context.tenant.timeZone);
  }

  /**
   * The rules the DTO cannot check without the clinic: the phone read in the clinic's region, the
   * date of birth not after the clinic's today, a portal identity only with a phone. Every problem
   * at once, as 422.
   */
  private checked(values: PatientValues, username: string | undefined, current?: PatientRecord): PatientValues {
    const fields: Record<string, string[]> = {};
    let phone: string | null = null;
    if (values.phone) {
      phone = toE164(values.phone, this.context.tenant.phoneRegion);
      if (!phone) fields.phone = [t('patients:fields.phone')];
    } else if (username) {
      fields.phone = [t('patients:fields.portalNeedsPhone')];
    } else if (current?.userId) {
      fields.phone = [t('patients:fields.portalPhoneRequired', { name: current.fullName })];
    }
    const dateProblem = birthDateProblem(values.dateOfBirth, this.today());
    if (dateProblem) fields.dateOfBirth = [dateProblem];
    if (Object.keys(fields).length > 0) throw invalidPatient(fields);
    return { ...values, phone };
  }

  /**
   * The user the file is linked to: a new patient user, or the existing patient user with this
   * username when it has the same phone and no file yet. Any other owner of the username refuses.
   */
  private async portalIdentity(username: string, values: PatientValues, forPatientId?: string): Promise<{ userId: string; portal: 'created' | 'linked' }> {
    const phone = values.phone!;
    const existing = await this.patients.lockUser(username);
    if (!existing) {
      const userId = await this.patients.insertPortalUser({ username, fullName: fullNameOf(values.firstName, values.lastName), phone });
      if (!userId) throw usernameTaken(username);
      return { userId, portal: 'created' };
    }
    if (existing.role !== 'patient' || existing.phone !== phone) throw usernameTaken(username);
    if (existing.linkedPatientId && existing.linkedPatientId !== forPatientId) {
      throw usernameTaken(username, t('patients:fields.usernameOfFile', { fileNumber: existing.linkedFileNumber }));
    }
    return { userId: existing.id, portal: 'linked' };
  }

  private appointment(row: AppointmentRow): PatientAppointment {
    const zone = this.context.tenant.timeZone;
    const startsAt = new Date(row.startsAt);
    const local = DateTime.fromJSDate(startsAt, { zone });
    return { ...row, startsAt, endsAt: new Date(row.endsAt), date: local.toISODate()!, time: local.toFormat('HH:mm') };
  }

  private idOf(raw: string): string {
    if (!PATIENT_ID.test(raw)) throw patientNotFound();
    return raw;
  }

  private existing<T>(found: T | null): T {
    if (!found) throw patientNotFound();
    return found;
  }
}

/** The file without the internal user id. */
function publicView(record: PatientRecord): Patient {
  const { userId: _userId, ...patient } = record;
  return patient;
}

/** What an edit changes, field by field, for the audit log. */
function changedFields(before: PatientRecord, after: PatientValues): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof PatientValues)[]) {
    if (before[key] !== after[key]) changes[key] = { from: before[key], to: after[key] };
  }
  return changes;
}

function nationalIdTaken(): PatientException {
  return new PatientException('national_id_taken', t('patients:errors.nationalIdTaken'), {
    nationalId: [t('patients:fields.nationalIdTaken')],
  });
}

function usernameTaken(username: string, message?: string): PatientException {
  return new PatientException('username_taken', t('patients:errors.usernameTaken', { username }), { username: [message ?? t('patients:fields.usernameTaken')] });
}
