import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { FormModelProvider } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { AppException } from '../common/errors/app-exception';
import { t } from '../i18n/i18n';
import { FOLLOW_UP_AFTER, followUpLabel, REQUIREMENT_KINDS, requirementLabel } from './visit-rules';
import { type VisitView, VisitsService } from './visits.service';

type FormValues = Record<string, unknown>;

/** Typed values of a repeated field, as rows (one string when the form had one row). */
const column = (values: FormValues, name: string): string[] => {
  const v = values[name];
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : '')) : typeof v === 'string' ? [v] : [];
};

/** The view models of the visit screens (the rules stay in VisitsService). */
@Injectable()
export class VisitPages implements FormModelProvider {
  constructor(private readonly visits: VisitsService) {}

  /** The visit page: the completion form while the visit is open, the record (with amendments) once completed. */
  async visit(actor: Principal, appointmentId: string, values: FormValues = {}) {
    const visit = await this.visits.get(actor, appointmentId);
    return { title: this.title(visit), visit, ...this.formParts(values), values };
  }

  /** A refused completion or amendment comes back with what was typed, every row of it. */
  async formModel(req: Request, refusal: unknown) {
    // someone else's or an unknown visit: show the message alone, nothing of the visit
    if (refusal instanceof AppException && (refusal.status === 403 || refusal.status === 404)) return {};
    const id = String((req.params as Record<string, string | undefined>).appointmentId ?? '');
    if (!req.user) return {};
    const { values: _typed, ...model } = await this.visit(req.user, id, { ...(req.body as FormValues) });
    return model;
  }

  prescriptionLine(index: number) {
    return { line: this.prescriptionRow(index, {}), next: index + 1 };
  }

  requirementLine(index: number) {
    return { line: this.requirementRow(index, {}), next: index + 1 };
  }

  private title(visit: VisitView): string {
    return t('visits:page.title', { name: visit.appointment.patient.fullName, date: visit.appointment.date, time: visit.appointment.time });
  }

  /** The form's rows (at least one of each) and its follow-up choices, from what was typed. */
  private formParts(values: FormValues) {
    const meds = ['medication', 'dosage', 'duration', 'instructions'].map((name) => column(values, name));
    const rows = Math.max(1, ...meds.map((c) => c.length));
    const prescriptionLines = Array.from({ length: rows }, (_, i) =>
      this.prescriptionRow(i + 1, { medication: meds[0][i], dosage: meds[1][i], duration: meds[2][i], instructions: meds[3][i] }),
    );
    const kinds = column(values, 'requirementKind');
    const descriptions = column(values, 'requirementDescription');
    const reqRows = Math.max(1, kinds.length, descriptions.length);
    const requirementLines = Array.from({ length: reqRows }, (_, i) => this.requirementRow(i + 1, { kind: kinds[i], description: descriptions[i] }));
    const followUp = typeof values.followUp === 'string' ? values.followUp : '';
    return {
      prescriptionLines,
      nextPrescription: rows + 1,
      requirementLines,
      nextRequirement: reqRows + 1,
      followUpChoices: [
        { value: '', label: t('visits:followUpChoice.none'), selected: followUp === '' },
        ...FOLLOW_UP_AFTER.map((value) => ({ value, label: followUpLabel(value), selected: followUp === value })),
        { value: 'date', label: t('visits:followUpChoice.date'), selected: followUp === 'date' },
      ],
    };
  }

  private prescriptionRow(n: number, v: { medication?: string; dosage?: string; duration?: string; instructions?: string }) {
    return { n, medication: v.medication ?? '', dosage: v.dosage ?? '', duration: v.duration ?? '', instructions: v.instructions ?? '' };
  }

  private requirementRow(n: number, v: { kind?: string; description?: string }) {
    const kind = v.kind ?? 'lab';
    return { n, description: v.description ?? '', kinds: REQUIREMENT_KINDS.map((value) => ({ value, label: requirementLabel(value), selected: value === kind })) };
  }
}
