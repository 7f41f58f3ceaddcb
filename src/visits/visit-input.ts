import type { CompleteVisitDto, CompleteVisitFormDto } from './dto/complete-visit.dto';
import { linesFromForm } from './visit-rules';
import type { VisitInput } from './visits.service';

/** The completion form, read into one visit (rows from the parallel columns, the follow-up choice). */
export function visitFromForm(form: CompleteVisitFormDto): VisitInput {
  const { prescriptions, requirements } = linesFromForm(form);
  const note = form.followUpNote ?? '';
  const followUp = !form.followUp ? undefined : form.followUp === 'date' ? { on: form.followUpDate ?? '', note } : { after: form.followUp, note };
  return { symptoms: form.symptoms ?? '', diagnosis: form.diagnosis, notes: form.notes ?? '', prescriptions, requirements, followUp };
}

/** The API's completion body, read into the same visit. */
export function visitFromApi(body: CompleteVisitDto): VisitInput {
  const f = body.followUp;
  return {
    symptoms: body.symptoms ?? '',
    diagnosis: body.diagnosis,
    notes: body.notes ?? '',
    prescriptions: (body.prescriptions ?? []).map((p) => ({ medicationName: p.medicationName, dosage: p.dosage ?? '', duration: p.duration ?? '', instructions: p.instructions ?? '' })),
    requirements: (body.requirements ?? []).map((r) => ({ kind: r.kind, description: r.description })),
    followUp: f && (f.after || f.on) ? { after: f.after, on: f.after ? undefined : f.on, note: f.note ?? '' } : undefined,
  };
}
