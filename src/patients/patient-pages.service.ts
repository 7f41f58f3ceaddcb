import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { FormModelProvider } from '../auth/access.decorator';
import { DateTime } from 'luxon';
import type { Principal } from '../auth/principal';
import { currentLocale, t } from '../i18n/i18n';
import { TenantContext } from '../tenancy/tenant-context';
import type { CreatePatientDto } from './dto/create-patient.dto';
import type { UpdatePatientDto } from './dto/update-patient.dto';
import { statusLabel } from '../appointments/appointment-status';
import { NoShowPages } from '../no-shows/no-show-pages.service';
import type { Patient, PatientAppointment, PatientPage } from './patient';
import { type Gender, PATIENT_ID, PATIENT_WRITERS } from './patient-rules';
import { PatientException } from './patients.exception';
import { type PatientChange, PatientsService } from './patients.service';

const genderLabel = (gender: Gender): string => (gender === 'male' ? t('patients:gender.male') : t('patients:gender.female'));

export type PatientChangeKind = 'created' | 'updated';

export interface ResultRow extends Patient {
  readonly href: string;
}

/** The list page's results: one page of rows and the links to the neighbouring pages. */
export interface ResultsScreen {
  readonly title: string;
  readonly q: string;
  readonly rows: ResultRow[];
  readonly total: number;
  readonly page: number;
  readonly pages: number;
  readonly summary: string;
  readonly previousHref: string | null;
  readonly nextHref: string | null;
  /** There is a previous or a next page to link to. */
  readonly paginated: boolean;
  readonly canWrite: boolean;
}

export interface AppointmentLine extends PatientAppointment {
  /** e.g. "Tue 24 Nov 2026, 09:30", in the clinic's time zone. */
  readonly when: string;
  readonly statusLabel: string;
}

export interface ProfileScreen {
  readonly title: string;
  readonly patient: Patient;
  readonly age: number;
  readonly genderLabel: string;
  readonly upcoming: AppointmentLine[];
  readonly past: AppointmentLine[];
  readonly notice: string | null;
  readonly canWrite: boolean;
  /** Booking for this patient, coming back to this profile afterwards. */
  readonly bookHref: string;
  /** No-show penalties, with what this person may do about each. */
  readonly penalties: Awaited<ReturnType<NoShowPages['ofPatient']>>['penalties'];
  readonly currency: string;
}

export interface FormScreen {
  readonly title: string;
  /** Set when editing: the form posts to /patients/:id. */
  readonly patientId?: string;
  readonly portalUsername?: string | null;
  readonly values: Record<string, string>;
}

/** View models for the patient screens: each write goes through PatientsService, then the profile is read again for the page. */
@Injectable()
export class PatientPages implements FormModelProvider {
  constructor(
    private readonly patients: PatientsService,
    private readonly context: TenantContext,
    private readonly noShows: NoShowPages,
  ) {}

  /**
   * A refused form is shown again with what it needs besides the typed values: on an edit the file's
   * id (so it still posts back to /patients/:id, whatever refused it) and its portal username; for a
   * possible duplicate, the files to offer instead.
   */
  async formModel(req: Request, refusal: unknown): Promise<Record<string, unknown>> {
    const id = typeof req.params?.id === 'string' && PATIENT_ID.test(req.params.id) ? req.params.id : undefined;
    const duplicates = refusal instanceof PatientException ? refusal.duplicates : [];
    const portalUsername = id ? await this.patients.get(id).then((p) => p.portalUsername, () => null) : null;
    return { patientId: id, portalUsername, duplicates };
  }

  async index(actor: Principal, q: unknown, page: unknown): Promise<ResultsScreen> {
    const found = await this.patients.search(q, page);
    const previousHref = found.page > 1 ? listHref(found.q, Math.min(found.page - 1, found.pages)) : null;
    const nextHref = found.page < found.pages ? listHref(found.q, found.page + 1) : null;
    return {
      title: t('patients:title'),
      q: found.q,
      rows: found.patients.map((p) => ({ ...p, href: `/patients/${p.id}` })),
      total: found.total,
      page: found.page,
      pages: found.pages,
      summary: summaryOf(found),
      previousHref,
      nextHref,
      paginated: previousHref !== null || nextHref !== null,
      canWrite: canWrite(actor),
    };
  }

  newForm(): FormScreen {
    return { title: t('patients:form.newTitle'), values: {} };
  }

  async profile(actor: Principal, id: string, done: unknown): Promise<ProfileScreen> {
    const profile = await this.patients.profile(id);
    const patient = profile.patient;
    const kind = done === 'created' || done === 'updated' ? done : null;
    return {
      title: patient.fullName,
      patient,
      age: profile.age,
      genderLabel: genderLabel(patient.gender),
      upcoming: profile.upcoming.map((a) => this.line(a)),
      past: profile.past.map((a) => this.line(a)),
      notice: kind ? noticeOf(kind, patient) : null,
      canWrite: canWrite(actor),
      bookHref: `/appointments/new?patientId=${patient.id}&next=/patients/${patient.id}`,
      ...(await this.noShows.ofPatient(actor, patient.id)),
    };
  }

  async editForm(id: string): Promise<FormScreen> {
    const patient = await this.patients.get(id);
    return {
      title: t('patients:form.editTitle', { name: patient.fullName }),
      patientId: patient.id,
      portalUsername: patient.portalUsername,
      values: {
        firstName: patient.firstName,
        lastName: patient.lastName,
        dateOfBirth: patient.dateOfBirth,
        gender: patient.gender,
        phone: patient.phone ?? '',
        address: patient.address ?? '',
        nationalId: patient.nationalId ?? '',
        email: patient.email ?? '',
      },
    };
  }

  async create(actor: Principal, input: CreatePatientDto, ip: string | undefined): Promise<{ change: PatientChange; screen: ProfileScreen }> {
    const change = await this.patients.create(actor, input, ip);
    return { change, screen: await this.profile(actor, change.patient.id, 'created') };
  }

  async update(actor: Principal, id: string, input: UpdatePatientDto, ip: string | undefined): Promise<{ change: PatientChange; screen: ProfileScreen }> {
    const change = await this.patients.update(actor, id, input, ip);
    return { change, screen: await this.profile(actor, change.patient.id, 'updated') };
  }

  /** The username field with a suggestion from the name, unless a username was typed already. */
  async usernameField(firstName: unknown, lastName: unknown, typed: unknown): Promise<{ values: Record<string, string> }> {
    const username = typeof typed === 'string' && typed.trim() !== '' ? typed.trim() : await this.patients.suggestUsername(firstName, lastName);
    return { values: { username } };
  }

  private line(a: PatientAppointment): AppointmentLine {
    const local = DateTime.fromJSDate(a.startsAt, { zone: this.context.tenant.timeZone });
    const when = t('patients:appointments.whenValue', { date: local.setLocale(currentLocale()).toFormat('ccc d LLL yyyy'), time: local.toFormat('HH:mm') });
    return { ...a, when, statusLabel: statusLabel(a.status) };
  }
}

const canWrite = (actor: Principal) => (PATIENT_WRITERS as readonly string[]).includes(actor.role);

function listHref(q: string, page: number): string {
  const query = new URLSearchParams();
  if (q) query.set('q', q);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `/patients?${text}` : '/patients';
}

function summaryOf(found: PatientPage): string {
  const { q, page, pages, total: count } = found;
  if (count === 0) return q ? t('patients:results.noMatch', { q }) : t('patients:results.noPatients');
  if (found.patients.length === 0) return t('patients:results.noSuchPage', { page, pages });
  if (q) return pages > 1 ? t('patients:results.matchingPaged', { count, q, page, pages }) : t('patients:results.matching', { count, q });
  return pages > 1 ? t('patients:results.allPaged', { count, page, pages }) : t('patients:results.all', { count });
}

function noticeOf(kind: 'created' | 'updated', patient: Patient): string {
  const name = patient.fullName;
  if (kind === 'updated') return t('patients:notice.updated', { name });
  return patient.portalUsername
    ? t('patients:notice.createdWithPortal', { name, fileNumber: patient.fileNumber, username: patient.portalUsername })
    : t('patients:notice.created', { name, fileNumber: patient.fileNumber });
}
