import { VisitException } from '../../src/visits/visits.exception';
import { checkLineCounts, followUpDue, linesFromForm } from '../../src/visits/visit-rules';

describe('visit lines from the form', () => {
  it('zips the parallel columns into rows, skipping unused rows and trimming', () => {
    expect(
      linesFromForm({
        medication: [' Aspirin ', '', 'Metformin'],
        dosage: ['100 mg daily', '', '500 mg'],
        duration: ['30 days', '', ''],
        instructions: ['', '', 'with food'],
        requirementKind: ['lab', 'imaging'],
        requirementDescription: ['ECG', ''],
      }),
    ).toEqual({
      prescriptions: [
        { medicationName: 'Aspirin', dosage: '100 mg daily', duration: '30 days', instructions: '' },
        { medicationName: 'Metformin', dosage: '500 mg', duration: '', instructions: 'with food' },
      ],
      requirements: [{ kind: 'lab', description: 'ECG' }],
    });
  });

  it('refuses a dosage without a medication, naming the row', () => {
    try {
      linesFromForm({ medication: ['Aspirin', ''], dosage: ['1', '5 mg'] });
      throw new Error('not refused');
    } catch (error) {
      expect(error).toBeInstanceOf(VisitException);
      expect((error as VisitException).status).toBe(422);
      expect((error as VisitException).fields).toEqual({ prescriptions: ["Medication 2: enter the medication's name, or clear the line"] });
    }
  });

  it('refuses an unknown requirement kind and too many lines', () => {
    expect(() => linesFromForm({ requirementKind: ['blood'], requirementDescription: ['CBC'] })).toThrow('Some lines need your attention.');
    const line = { medicationName: 'x', dosage: '', duration: '', instructions: '' };
    expect(() => checkLineCounts(Array(20).fill(line), [])).not.toThrow();
    expect(() => checkLineCounts(Array(21).fill(line), [])).toThrow('At most 20 medication lines per visit');
    expect(() => checkLineCounts([], Array(11).fill({ kind: 'lab', description: 'x' }))).toThrow('At most 10 requirements per visit');
  });
});

describe('follow-up due dates, in the clinic zone', () => {
  const zone = 'Africa/Cairo';
  it.each([
    ['1w', '2026-11-23', '2026-11-30'],
    ['2w', '2026-11-23', '2026-12-07'],
    ['1m', '2026-01-31', '2026-02-28'],
    ['3m', '2026-11-30', '2027-02-28'],
  ] as const)('%s after %s is %s', (after, today, due) => {
    expect(followUpDue({ after, note: '' }, today, zone)).toBe(due);
  });

  it('takes an explicit date after today and within two years', () => {
    expect(followUpDue({ on: '2026-12-01', note: '' }, '2026-11-23', zone)).toBe('2026-12-01');
    expect(() => followUpDue({ on: '2026-11-23', note: '' }, '2026-11-23', zone)).toThrow(/after today/);
    expect(() => followUpDue({ on: '2029-01-01', note: '' }, '2026-11-23', zone)).toThrow(/within two years/);
    expect(() => followUpDue({ on: '2026-02-30', note: '' }, '2026-11-23', zone)).toThrow(/YYYY-MM-DD/);
    expect(() => followUpDue({ note: '' }, '2026-11-23', zone)).toThrow(/YYYY-MM-DD/);
  });
});
