import { Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal';
import { t } from '../i18n/i18n';
import type { Gender } from '../patients/patient-rules';
import { type DoctorPatientPage, type DoctorQueue, type PatientHistory, ScheduleService } from './schedule.service';

const genderLabel = (gender: Gender): string => (gender === 'female' ? t('schedule:gender.female') : t('schedule:gender.male'));

const REQUIREMENT_KINDS = ['lab', 'imaging', 'treatment', 'other'];
const requirementLabel = (kind: string): string => (REQUIREMENT_KINDS.includes(kind) ? t(`schedule:requirementKind.${kind}`) : kind);

/** What the doctor's screens show: the service's answers plus titles, links and wording. */
@Injectable()
export class SchedulePages {
  constructor(private readonly schedule: ScheduleService) {}

  async queue(actor: Principal, date: unknown): Promise<DoctorQueue & Record<string, unknown>> {
    const queue = await this.schedule.queue(actor, date);
    return {
      ...queue,
      title: t('schedule:title.queue'),
      // today's queue follows the clock (past midnight it shows the new day); another day stays put
      selfHref: queue.isToday ? '/doctor' : `/doctor?date=${queue.date}`,
      previousHref: `/doctor?date=${queue.previousDate}`,
      nextHref: `/doctor?date=${queue.nextDate}`,
      todayHref: queue.isToday ? null : '/doctor',
      appointments: queue.appointments.map((a) => ({
        ...a,
        patientHref: `/doctor/patients/${a.patient.id}`,
        visitHref: a.canStart ? `/visits/${a.id}` : null,
      })),
    };
  }

  async patients(actor: Principal, q: unknown, page: unknown): Promise<DoctorPatientPage & Record<string, unknown>> {
    const found = await this.schedule.patientList(actor, q, page);
    const previousHref = found.page > 1 ? listHref(found.q, Math.min(found.page - 1, found.pages)) : null;
    const nextHref = found.page < found.pages ? listHref(found.q, found.page + 1) : null;
    return {
      ...found,
      title: t('schedule:title.patients'),
      summary: summaryOf(found),
      rows: found.patients.map((p) => ({ ...p, href: `/doctor/patients/${p.id}` })),
      previousHref,
      nextHref,
      paginated: previousHref !== null || nextHref !== null,
    };
  }

  async history(actor: Principal, id: string, page: unknown, ip: string | undefined): Promise<PatientHistory & Record<string, unknown>> {
    const history = await this.schedule.history(actor, id, page, ip);
    const href = (n: number) => `/doctor/patients/${history.patient.id}?page=${n}`;
    const previousHref = history.page > 1 ? href(history.page - 1) : null;
    const nextHref = history.page < history.pages ? href(history.page + 1) : null;
    return {
      ...history,
      title: history.patient.fullName,
      genderLabel: genderLabel(history.patient.gender),
      visits: history.visits.map((v) => ({ ...v, requirements: v.requirements.map((r) => ({ ...r, kindLabel: requirementLabel(r.kind) })) })),
      previousHref,
      nextHref,
      paginated: previousHref !== null || nextHref !== null,
    };
  }
}

function listHref(q: string, page: number): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `/doctor/patients?${query}` : '/doctor/patients';
}

function summaryOf(found: DoctorPatientPage): string {
  if (found.total === 0) return found.q ? t('schedule:patients.summary.noMatch', { q: found.q }) : t('schedule:patients.summary.noneRegistered');
  if (found.patients.length === 0) return t('schedule:patients.summary.noPage', { page: found.page, pages: found.pages });
  const what = found.q ? t('schedule:patients.summary.matching', { count: found.total, q: found.q }) : t('schedule:patients.summary.count', { count: found.total });
  return found.pages > 1 ? t('schedule:patients.summary.paged', { what, page: found.page, pages: found.pages }) : t('schedule:patients.summary.whole', { what });
}
