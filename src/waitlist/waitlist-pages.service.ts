import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppointmentsService } from '../appointments/appointments.service';
import type { FormModelProvider } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { t } from '../i18n/i18n';
import { WaitlistService } from './waitlist.service';

/** The waitlist screens' models, for reception and for the portal (the rules stay in WaitlistService). */
@Injectable()
export class WaitlistPages implements FormModelProvider {
  constructor(
    private readonly waitlist: WaitlistService,
    private readonly appointments: AppointmentsService,
  ) {}

  async index(query: { doctorId?: string; done?: string }) {
    const doctors = await this.appointments.doctors();
    return {
      title: t('waitlist:title'),
      entries: await this.waitlist.list({ doctorId: query.doctorId }),
      doctors: doctors.map((d) => ({ ...d, selected: d.id === query.doctorId })),
      notice: query.done === 'added' ? t('waitlist:notice.added') : query.done === 'removed' ? t('waitlist:notice.removed') : undefined,
    };
  }

  async newForm(patientId: string | undefined) {
    const patient = patientId ? await this.appointments.patient(patientId) : null;
    const today = this.appointments.today();
    return { title: t('waitlist:new.title'), patient, doctors: await this.appointments.doctors(), today, values: { fromDate: today, toDate: today } };
  }

  /** The patient's own waits and the form to add one. */
  async portal(patient: Principal, done?: string) {
    const fileId = await this.waitlist.fileOf(patient.userId);
    const today = this.appointments.today();
    return {
      title: t('waitlist:title'),
      entries: await this.waitlist.list({ patientId: fileId }),
      doctors: await this.appointments.doctors(),
      today,
      values: { fromDate: today, toDate: today },
      notice: done === 'added' ? t('waitlist:portal.added') : done === 'removed' ? t('waitlist:portal.removed') : undefined,
    };
  }

  /** A refused form again, with its choices (what was typed comes back as `values`). */
  async formModel(req: Request) {
    const doctors = await this.appointments.doctors();
    const user = req.user as Principal | undefined;
    if (user?.role === 'patient') {
      const { values: _v, ...model } = await this.portal(user);
      return model;
    }
    const body = req.body as { patientId?: unknown };
    const patient = typeof body?.patientId === 'string' ? await this.appointments.patient(body.patientId).catch(() => null) : null;
    return { title: t('waitlist:new.title'), patient, doctors, today: this.appointments.today() };
  }
}
