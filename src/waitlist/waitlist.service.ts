import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AppointmentEvents, type FreedSlot } from '../appointments/appointment-events';
import { AppointmentException } from '../appointments/appointments.exception';
import { type Actor, AppointmentsService, type AppointmentView } from '../appointments/appointments.service';
import { AuditService } from '../audit/audit.service';
import { CLOCK, type Clock } from '../common/clock';
import { AppException } from '../common/errors/app-exception';
import { calendarDay, localDate, localTime, localToday } from '../common/time';
import { isId } from '../common/validation/ids';
import { t, translate } from '../i18n/i18n';
import type { ActionLink } from '../links/action-link';
import { ActionLinks } from '../links/action-links.service';
import { waitlistOffer } from '../outbox/notices';
import { OutboxService } from '../outbox/outbox.service';
import { TenantContext } from '../tenancy/tenant-context';
import { type WaitlistEntry, WaitlistRepository } from './waitlist.repository';

/** How many waiting patients hear of one freed time at once (in the order they asked); the first to accept gets it. */
export const OFFERS_PER_SLOT = 5;
/** The longest an offer stays open (it also closes when the time starts). */
const OFFER_HOURS = 24;
/** The longest stretch one can wait for. */
const MAX_WAIT_DAYS = 92;

export interface WaitlistInput {
  readonly patientId: string;
  readonly doctorId: string;
  readonly fromDate: string;
  readonly toDate: string;
  readonly notes?: string;
}

/** What accepting an offer came to. */
export type OfferOutcome = { readonly booked: AppointmentView } | { readonly gone: true };

/**
 * The waitlist: a patient waits for a doctor's free time on some days; when a booking in that range
 * is cancelled or moved, the first waiting patients are offered the time through the outbox, each
 * with a single-use link, and the first to accept gets it — the database's no-double-booking
 * constraint decides, so two acceptances at once make one booking.
 */
@Injectable()
export class WaitlistService implements OnModuleInit {
  private readonly logger = new Logger(WaitlistService.name);

  constructor(
    private readonly waitlist: WaitlistRepository,
    private readonly appointments: AppointmentsService,
    private readonly events: AppointmentEvents,
    private readonly links: ActionLinks,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.events.register({ slotFreed: (slot) => this.offer(slot) });
  }

  list(filter: { doctorId?: string; patientId?: string } = {}): Promise<WaitlistEntry[]> {
    return this.waitlist.waiting(filter);
  }

  async add(actor: Actor, input: WaitlistInput, ip: string | undefined): Promise<WaitlistEntry> {
    if (!(await this.waitlist.patientExists(input.patientId))) {
      throw invalid('patient_not_found', 404, t('waitlist:errors.noPatient'), { patientId: [t('waitlist:fields.patientRequired')] });
    }
    const doctor = await this.waitlist.doctorIsActive(input.doctorId);
    if (!doctor) throw invalid('doctor_not_found', 404, t('waitlist:errors.noDoctor'), { doctorId: [t('waitlist:fields.doctorRequired')] });
    if (!doctor.isActive) {
      throw invalid('invalid_waitlist', 422, t('waitlist:errors.doctorInactive', { doctor: doctor.fullName }), {
        doctorId: [t('waitlist:fields.doctorInactive', { doctor: doctor.fullName })],
      });
    }
    this.checkDays(input.fromDate, input.toDate);
    const id = await this.waitlist.insert(
      { patientId: input.patientId, doctorId: input.doctorId, fromDate: input.fromDate, toDate: input.toDate, notes: input.notes?.trim() || null, createdBy: actor.userId },
      this.clock.now(),
    );
    if (!id) {
      const message = t('waitlist:errors.alreadyWaiting', { doctor: doctor.fullName });
      throw invalid('already_waiting', 409, message, { doctorId: [message] });
    }
    await this.audit.record({ action: 'waitlist.added', actorId: actor.userId, entity: 'waitlist', entityId: id, details: { ...input }, ip });
    return (await this.waitlist.find(id))!;
  }

  /** Takes an entry off the list. `owner`: the portal's patient, who may remove only their own. */
  async remove(actor: Actor, id: string, ip: string | undefined, owner?: string): Promise<void> {
    const entry = isId(id) ? await this.waitlist.find(id, true) : null;
    if (!entry || (owner !== undefined && entry.patientId !== owner)) throw invalid('waitlist_not_found', 404, t('waitlist:errors.notFound'));
    if (!(await this.waitlist.close(id, 'removed', this.clock.now()))) throw invalid('invalid_transition', 409, t('waitlist:errors.notWaiting'));
    await this.audit.record({ action: 'waitlist.removed', actorId: actor.userId, entity: 'waitlist', entityId: id, details: { patientId: entry.patientId }, ip });
  }

  /** The signed-in patient's file id (the portal's waits are always their own). */
  async fileOf(userId: string): Promise<string> {
    const id = await this.waitlist.fileOfUser(userId);
    if (!id) throw invalid('patient_not_found', 404, t('waitlist:errors.noFile'));
    return id;
  }

  /** A time became free: offers to the first waiting patients, each a notice with its own single-use link. */
  private async offer(slot: FreedSlot): Promise<void> {
    const zone = this.context.tenant.timeZone;
    const now = this.clock.now();
    const expiresAt = new Date(Math.min(slot.startsAt.getTime(), now.getTime() + OFFER_HOURS * 3_600_000));
    const waiting = await this.waitlist.waitingFor(slot.doctorId, localDate(slot.startsAt, zone), OFFERS_PER_SLOT);
    if (waiting.length === 0) return;
    const clinic = await this.outbox.clinic();
    for (const entry of waiting) {
      const link = await this.links.create({ purpose: 'waitlist_offer', waitlistId: entry.id, doctorId: slot.doctorId, startsAt: slot.startsAt, endsAt: slot.endsAt, expiresAt });
      await this.outbox.enqueue(
        waitlistOffer(clinic, { patientId: entry.patientId, patientName: entry.patientName, email: entry.email, doctorName: entry.doctorName, startsAt: slot.startsAt }, entry.id, link, expiresAt),
      );
    }
    this.logger.log({ tenant: this.context.tenant.slug, offers: waiting.length, doctorId: slot.doctorId }, 'Freed time offered to the waitlist');
  }

  /**
   * Accepting an offer (the link's row is locked by the caller): books the time for the entry's
   * patient unless someone was first — then the link is spent and the patient told the time is gone.
   */
  async accept(link: ActionLink, ip: string | undefined): Promise<OfferOutcome> {
    const entry = await this.waitlist.find(link.waitlistId!, true);
    if (!entry || entry.status !== 'waiting') {
      await this.links.used(link.id, 'gone');
      return { gone: true };
    }
    const zone = this.context.tenant.timeZone;
    const startsAt = new Date(link.startsAt!);
    let booked: AppointmentView;
    try {
      booked = await this.appointments.book(
        { userId: null },
        { patientId: entry.patientId, doctorId: link.doctorId!, date: localDate(startsAt, zone), time: localTime(startsAt, zone), notes: translate(this.context.tenant.language, 'waitlist:bookedNote') },
        ip,
      );
    } catch (error) {
      // taken by another patient first, or no longer bookable (past, leave, hours changed)
      if (error instanceof AppointmentException && (error.code === 'slot_taken' || error.code === 'slot_unavailable')) {
        await this.links.used(link.id, 'gone');
        return { gone: true };
      }
      throw error;
    }
    await this.waitlist.close(entry.id, 'booked', this.clock.now(), booked.id);
    await this.links.used(link.id, 'booked');
    await this.audit.record({ action: 'waitlist.booked', actorId: null, entity: 'waitlist', entityId: entry.id, details: { appointmentId: booked.id, via: 'offer link' }, ip });
    return { booked };
  }

  private checkDays(fromDate: string, toDate: string): void {
    const zone = this.context.tenant.timeZone;
    const from = calendarDay(fromDate, zone);
    const to = calendarDay(toDate, zone);
    if (!from) throw invalid('invalid_waitlist', 422, t('waitlist:errors.notADate', { date: fromDate }), { fromDate: [t('waitlist:fields.fromFormat')] });
    if (!to) throw invalid('invalid_waitlist', 422, t('waitlist:errors.notADate', { date: toDate }), { toDate: [t('waitlist:fields.toFormat')] });
    const today = localToday(this.clock.now(), zone);
    if (fromDate < today) throw invalid('invalid_waitlist', 422, t('waitlist:errors.fromPast'), { fromDate: [t('waitlist:fields.fromPast')] });
    if (toDate < fromDate) throw invalid('invalid_waitlist', 422, t('waitlist:errors.toBeforeFrom'), { toDate: [t('waitlist:fields.toBeforeFrom')] });
    if (to.diff(from, 'days').days > MAX_WAIT_DAYS) {
      throw invalid('invalid_waitlist', 422, t('waitlist:errors.tooLong', { count: MAX_WAIT_DAYS }), { toDate: [t('waitlist:fields.tooLong', { count: MAX_WAIT_DAYS })] });
    }
  }
}

function invalid(code: string, status: number, message: string, fields?: Record<string, string[]>): AppException {
  return new AppException(code, status, message, fields);
}
