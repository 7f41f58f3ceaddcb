import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppointmentsService } from '../appointments/appointments.service';
import { Public } from '../auth/access.decorator';
import { CLOCK, type Clock } from '../common/clock';
import { render } from '../common/http/render';
import { t } from '../i18n/i18n';
import { spokenTime } from '../outbox/notices';
import { RemindersService } from '../reminders/reminders.service';
import { TenantContext } from '../tenancy/tenant-context';
import { WaitlistService } from '../waitlist/waitlist.service';
import type { ActionLink, LinkOutcome } from './action-link';
import { ActionLinks } from './action-links.service';
import { LinkActionDto } from './dto/link-action.dto';

/** What a page says of a link already used, by what it did. */
function usedMessage(outcome: LinkOutcome): string {
  switch (outcome) {
    case 'confirmed':
      return t('links:used.confirmed');
    case 'cancelled':
      return t('links:used.cancelled');
    case 'booked':
      return t('links:used.booked');
    case 'gone':
      return t('links:used.gone');
  }
}

/**
 * The pages behind the links in notices, on the clinic's host, without signing in: look (GET, which
 * changes nothing — mail scanners open links), then act (POST, with the page's CSRF token). The link
 * is locked while it is used, so it is used once.
 */
@Controller('l')
@Public()
export class LinkPagesController {
  constructor(
    private readonly links: ActionLinks,
    private readonly appointments: AppointmentsService,
    private readonly reminders: RemindersService,
    private readonly waitlist: WaitlistService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() res: Response) {
    const link = await this.links.open(token);
    await render(res, 'links/show', { ...(await this.model(link)), token, title: link.purpose === 'reminder' ? t('links:title.reminder') : t('links:title.offer') });
  }

  @Post(':token')
  @HttpCode(200)
  async act(@Param('token') token: string, @Body() body: LinkActionDto, @Req() req: Request, @Res() res: Response) {
    const link = await this.links.open(token, { lock: true });
    if (link.usedAt) return render(res.status(409), 'links/show', { ...(await this.model(link)), title: t('links:title.used') });
    const allowed = link.purpose === 'reminder' ? body.action === 'confirm' || body.action === 'cancel' : body.action === 'accept';
    if (!allowed) return render(res.status(422), 'links/show', { ...(await this.model(link)), token, error: t('links:cannotDoThat') });
    let done: string;
    if (body.action === 'confirm') {
      await this.reminders.confirm(link, req.ip);
      done = t('links:done.confirmed');
    } else if (body.action === 'cancel') {
      await this.reminders.cancel(link, req.ip);
      done = t('links:done.cancelled');
    } else {
      const outcome = await this.waitlist.accept(link, req.ip);
      if ('gone' in outcome) return render(res.status(409), 'links/show', { title: t('links:title.gone'), gone: true, message: usedMessage('gone') });
      done = t('links:done.booked', { doctor: outcome.booked.doctor.fullName, when: spokenTime(new Date(outcome.booked.startsAt), this.context.tenant.timeZone) });
    }
    await render(res, 'links/show', { title: t('links:title.done'), done });
  }

  /** What the page shows of the link: the appointment (reminder) or the offered time. */
  private async model(link: ActionLink) {
    const zone = this.context.tenant.timeZone;
    const used = link.outcome ? usedMessage(link.outcome) : null;
    if (link.purpose === 'reminder') {
      const a = await this.appointments.get(link.appointmentId!);
      return { reminder: true, used, when: spokenTime(new Date(a.startsAt), zone), doctor: a.doctor.fullName, patient: a.patient.fullName, open: !used && a.status === 'scheduled', statusLabel: a.statusLabel };
    }
    const startsAt = new Date(link.startsAt!);
    return { offer: true, used, when: spokenTime(startsAt, zone), open: !used && startsAt > this.clock.now(), doctor: await this.doctorName(link.doctorId!) };
  }

  private async doctorName(doctorId: string): Promise<string> {
    const doctors = await this.appointments.doctors();
    return doctors.find((d) => d.id === doctorId)?.fullName ?? t('links:theDoctor');
  }
}
