import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { FormModelProvider } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { AppException } from '../common/errors/app-exception';
import { isId } from '../common/validation/ids';
import { t } from '../i18n/i18n';
import { PortalService } from './portal.service';

/** The notice after a redirect (`?done=`), in the request's language. */
function notice(done: string | undefined): string | undefined {
  if (done === 'booked') return t('portal:notice.booked');
  if (done === 'cancelled') return t('portal:notice.cancelled');
  return undefined;
}

/** The view models of the portal's pages (the rules stay in PortalService). */
@Injectable()
export class PortalPages implements FormModelProvider {
  constructor(private readonly portal: PortalService) {}

  /** "My visits": upcoming and past appointments, follow-ups the doctor asked for, and whether online booking is open. */
  async home(patient: Principal, page = 1) {
    const file = await this.portal.file(patient);
    if (!file) return { title: t('portal:home.title'), hasFile: false };
    // one after another: the request's transaction is one connection
    const list = await this.portal.appointmentsOf(patient, page);
    const followUps = await this.portal.openFollowUps(patient);
    const terms = await this.portal.bookingTerms(patient);
    return { title: t('portal:home.title'), hasFile: true, ...list, nextPage: list.hasMorePast ? page + 1 : null, followUps, terms };
  }

  async visit(patient: Principal, id: string, done?: string) {
    const { appointment, record } = await this.portal.visit(patient, id);
    const { phone, phoneTel } = await this.portal.bookingTerms(patient);
    return { title: `${appointment.date} ${appointment.time} — ${appointment.doctor.fullName}`, appointment, record, notice: notice(done), phone, phoneTel };
  }

  /** The book page: the doctors, the day, and that day's bookable times; `values` are what was typed (or the query). */
  async book(patient: Principal, values: Record<string, unknown> = {}) {
    const terms = await this.portal.bookingTerms(patient);
    const doctorId = typeof values.doctorId === 'string' ? values.doctorId : '';
    const date = typeof values.date === 'string' && values.date ? values.date : terms.firstDay;
    const time = typeof values.time === 'string' ? values.time : '';
    const doctors = await this.portal.doctors();
    const followUps = await this.portal.openFollowUps(patient);
    return {
      title: t('portal:book.title'),
      terms,
      doctors: doctors.map((d) => ({ ...d, selected: d.id === doctorId, followUp: followUps.find((f) => f.doctorId === d.id) })),
      values: { doctorId, date, time },
      picker: await this.picker(doctorId, date, time),
    };
  }

  /** The day's bookable times with one doctor, as the picker fragment shows them. */
  async picker(doctorId: string | undefined, date: string | undefined, selected?: string) {
    if (!doctorId || !isId(doctorId) || !date) return { prompt: t('portal:book.prompt') };
    try {
      const day = await this.portal.slots(doctorId, date);
      return {
        doctor: day.doctor.fullName,
        date,
        onLeave: day.onLeave,
        outsideWindow: day.outsideWindow,
        slots: day.slots.map((s) => ({ time: s.time, checked: s.time === selected })),
      };
    } catch (error) {
      // an unknown doctor or a date not on the calendar: say so where the times would be
      if (error instanceof AppException && error.status < 500) return { prompt: error.message };
      throw error;
    }
  }

  /** A refused booking or cancellation is shown again with its page; an unknown appointment shows the message alone. */
  async formModel(req: Request, refusal: unknown) {
    if (!req.user) return {};
    const id = (req.params as Record<string, string | undefined>).id;
    if (id) {
      if (refusal instanceof AppException && refusal.status === 404) return {};
      return this.visit(req.user, id).catch(() => ({}));
    }
    return this.book(req.user, { ...(req.body as Record<string, unknown>) });
  }
}
