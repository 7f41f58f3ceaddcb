import { setBounded } from '../../src/common/bounded-map';
import { areaChart, barChart, donutChart } from '../../src/reports/charts';
import { csvLines, safeCell } from '../../src/reports/csv';
import { daysOf, reportFilter } from '../../src/reports/report-filter';
import { ReportException } from '../../src/reports/reports.exception';

const ZONE = 'Africa/Cairo';
// 2026-11-30 23:30 in Cairo is already December there, still November in UTC
const LATE = new Date('2026-11-30T22:30:00Z');

describe('report periods', () => {
  it("defaults to the clinic's current month, and to a month from a lone first or last day", () => {
    expect(reportFilter({}, LATE, ZONE)).toEqual({ from: '2026-12-01', to: '2026-12-31', doctorIds: [] });
    expect(reportFilter({ from: '2026-02-10' }, LATE, ZONE)).toMatchObject({ from: '2026-02-10', to: '2026-02-28' });
    expect(reportFilter({ to: '2026-02-10' }, LATE, ZONE)).toMatchObject({ from: '2026-02-01', to: '2026-02-10' });
  });

  it('takes two years exactly and refuses a day more, a reversed period and a day not on the calendar', () => {
    expect(reportFilter({ from: '2025-01-01', to: '2026-12-31' }, LATE, ZONE).to).toBe('2026-12-31');
    expect(() => reportFilter({ from: '2025-01-01', to: '2027-01-01' }, LATE, ZONE)).toThrow(ReportException);
    expect(() => reportFilter({ from: '2026-03-02', to: '2026-03-01' }, LATE, ZONE)).toThrow(/after it ends/);
    expect(() => reportFilter({ from: '2026-02-30' }, LATE, ZONE)).toThrow(/not a date on the calendar/);
  });

  it('lists every day of a period, across a daylight-saving change', () => {
    const days = daysOf({ from: '2026-04-23', to: '2026-05-02', doctorIds: [] });
    expect(days).toHaveLength(10);
    expect(days[0]).toBe('2026-04-23');
    expect(days.at(-1)).toBe('2026-05-02');
  });

  it('answers a repeated question from memory, but never across a change of day or of clinic zone', () => {
    const cairo = reportFilter({}, LATE, ZONE);
    expect(reportFilter({}, LATE, ZONE)).toBe(cairo);
    expect(Object.isFrozen(cairo) && Object.isFrozen(cairo.doctorIds)).toBe(true);
    // the same instant is still November in UTC, and a later one is another month
    expect(reportFilter({}, LATE, 'UTC')).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    expect(reportFilter({ to: '2026-02-10' }, new Date('2027-01-15T12:00:00Z'), ZONE)).toMatchObject({ from: '2026-02-01' });
    expect(reportFilter({}, new Date('2027-01-15T12:00:00Z'), ZONE)).toMatchObject({ from: '2027-01-01', to: '2027-01-31' });
    // a refusal is decided again each time (its message is in the asker's language)
    expect(() => reportFilter({ from: '2026-03-02', to: '2026-03-01' }, LATE, ZONE)).toThrow(/after it ends/);
    expect(() => reportFilter({ from: '2026-03-02', to: '2026-03-01' }, LATE, ZONE)).toThrow(/after it ends/);
  });

  it('keeps a memory to its bound: the oldest entry goes, and setting a key it holds evicts nothing', () => {
    const memory = new Map<string, number>();
    for (const [key, value] of [['a', 1], ['b', 2], ['c', 3]] as const) setBounded(memory, key, value, 3);
    setBounded(memory, 'b', 20, 3);
    expect([...memory]).toEqual([['a', 1], ['b', 20], ['c', 3]]);
    setBounded(memory, 'd', 4, 3);
    expect([...memory.keys()]).toEqual(['b', 'c', 'd']);
  });

  it('orders and de-duplicates the doctors, so one filter has one cache key', () => {
    expect(reportFilter({ doctorId: ['12', '3', '12'] }, LATE, ZONE).doctorIds).toEqual(['3', '12']);
  });
});

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['Amir Hassan', 'Amir Hassan'],
    ['أحمد', 'أحمد'],
  ])('makes %j safe', (input, expected) => {
    expect(safeCell(input)).toBe(expected);
  });

  it('keeps numbers, empties nulls and quotes as RFC 4180 says', () => {
    expect(safeCell(150)).toBe(150);
    expect(safeCell(null)).toBe('');
    expect(csvLines([['a,b', 'say "hi"', '=1']])).toBe(`"a,b","say ""hi""",'=1\r\n`);
  });
});

describe('charts', () => {
  it('escape names and carry a title and a description with the figures', () => {
    const bars = barChart('d', 'Revenue per doctor', [{ label: '<script>x</script>', value: 150 }], 'EGP');
    expect(bars).not.toContain('<script>');
    expect(bars).toContain('&lt;script&gt;');
    expect(bars).toMatch(/<title id="d-title">Revenue per doctor<\/title><desc id="d-desc">&lt;script&gt;x&lt;\/script&gt;: 150.00 EGP<\/desc>/);
    const area = areaChart('r', 'Revenue per day', [{ label: '2026-10-01', value: 0 }, { label: '2026-10-02', value: 1250.5 }], 'EGP');
    expect(area).toContain('Total 1,250.50 EGP over 2 days, from 2026-10-01 to 2026-10-02; the highest day was 2026-10-02 with 1,250.50 EGP.');
    const donut = donutChart('s', 'Appointments by status', [{ key: 'completed', label: 'Completed', value: 3 }, { key: 'cancelled', label: 'Cancelled', value: 1 }]);
    expect(donut).toContain('4 appointments. Completed: 3 (75.0 %); Cancelled: 1 (25.0 %).');
    expect(donut.match(/<circle/g)).toHaveLength(2);
  });
});
