import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreatePatientDto } from '../../src/patients/dto/create-patient.dto';
import { UpdatePatientDto } from '../../src/patients/dto/update-patient.dto';
import {
  ageOn,
  birthDateProblem,
  fileNumberCandidates,
  latestToday,
  localToday,
  pageNumber,
  searchTerm,
  searchWords,
  usernameBase,
  usernameCandidates,
} from '../../src/patients/patient-rules';

describe('patient rules', () => {
  it('reads a date of birth: the format, a date that exists, from 1900, not after today', () => {
    const today = '2026-11-23';
    expect(birthDateProblem('1985-06-15', today)).toBeNull();
    expect(birthDateProblem('2024-02-29', today)).toBeNull(); // a leap day
    expect(birthDateProblem('2026-11-23', today)).toBeNull(); // born today
    expect(birthDateProblem('1900-01-01', today)).toBeNull();
    expect(birthDateProblem('2026-02-30', today)).toBe('There is no such date as 2026-02-30: check the day and the month');
    expect(birthDateProblem('2023-02-29', today)).toMatch(/^There is no such date/);
    expect(birthDateProblem('1985-13-01', today)).toMatch(/^There is no such date/);
    expect(birthDateProblem('1899-12-31', today)).toBe('Enter a date of birth from 1900 on');
    expect(birthDateProblem('2026-11-24', today)).toBe('The date of birth cannot be in the future');
    for (const bad of ['15/06/1985', '1985-6-15', '19850615', '', ' 1985-06-15', 19850615, null, undefined]) {
      expect(birthDateProblem(bad, today)).toBe('Enter the date of birth as YYYY-MM-DD, e.g. 1985-06-15');
    }
  });

  it('knows "today" in the clinic’s time zone, and the latest today anywhere', () => {
    const lateEvening = new Date('2026-11-23T22:30:00Z');
    expect(localToday(lateEvening, 'Africa/Cairo')).toBe('2026-11-24');
    expect(localToday(lateEvening, 'UTC')).toBe('2026-11-23');
    expect(latestToday(new Date('2026-11-23T10:30:00Z'))).toBe('2026-11-24'); // UTC+14
  });

  it('computes the age in whole years, a birthday counting from its day', () => {
    expect(ageOn('1985-06-15', '2026-06-14')).toBe(40);
    expect(ageOn('1985-06-15', '2026-06-15')).toBe(41);
    expect(ageOn('2026-11-23', '2026-11-23')).toBe(0);
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26);
  });

  it('reads a digits-only term as file numbers with and without the leading zeros', () => {
    expect(fileNumberCandidates('1')).toEqual(['1', '000001']);
    expect(fileNumberCandidates('000001')).toEqual(['000001', '1']);
    expect(fileNumberCandidates(' 0123 ')).toEqual(['0123', '123', '000123']);
    expect(fileNumberCandidates('1234567')).toEqual(['1234567']);
    expect(fileNumberCandidates('000')).toEqual([]);
    expect(fileNumberCandidates('12a')).toEqual([]);
    expect(fileNumberCandidates('+201012345678')).toEqual([]);
    expect(fileNumberCandidates('')).toEqual([]);
  });

  it('splits a term into at most six distinct words, and bounds the term and the page', () => {
    expect(searchWords('  amir   hassan amir ')).toEqual(['amir', 'hassan']);
    expect(searchWords('')).toEqual([]);
    expect(searchWords('a b c d e f g h')).toHaveLength(6);
    expect(searchTerm('x'.repeat(500))).toHaveLength(100);
    expect(searchTerm(['amir', 'hassan'])).toBe('');
    expect(searchTerm(undefined)).toBe('');
    expect(pageNumber('2')).toBe(2);
    for (const bad of ['0', '-1', 'banana', '1.5', '', undefined, ['2']]) expect(pageNumber(bad)).toBe(1);
  });

  it('suggests a portal username from the name, and numbered ones after it', () => {
    expect(usernameBase('Amír', 'Hassan')).toBe('amir.hassan');
    expect(usernameBase(' Mary-Jane ', "O'Neil")).toBe('mary.jane.o.neil');
    expect(usernameBase('أحمد', 'عبد الرحمن')).toBe('');
    expect(usernameBase('Al', '')).toBe('');
    expect(usernameBase('x'.repeat(100), 'y'.repeat(100)).length).toBeLessThanOrEqual(56);
    expect(usernameCandidates('amir.hassan', 3)).toEqual(['amir.hassan', 'amir.hassan2', 'amir.hassan3']);
  });
});

describe('patient DTOs', () => {
  const errorsOf = (cls: typeof CreatePatientDto | typeof UpdatePatientDto, plain: object) => {
    const dto = plainToInstance(cls, plain);
    return Object.fromEntries(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }).map((e) => [e.property, Object.values(e.constraints ?? {})]));
  };
  const valid = { firstName: ' Amir  ', lastName: 'Hassan', dateOfBirth: '1985-06-15', gender: 'male' };

  it('a new file: names trimmed, empty optional fields mean "not given", "Register anyway" read as true', () => {
    const dto = plainToInstance(CreatePatientDto, { ...valid, phone: ' ', address: '', nationalId: '', username: '', confirmDuplicate: 'yes' });
    expect(validateSync(dto)).toEqual([]);
    expect(dto).toEqual(expect.objectContaining({ firstName: 'Amir', phone: undefined, address: undefined, nationalId: undefined, username: undefined, confirmDuplicate: true }));
  });

  it('a new file: each bad field has its own message', () => {
    expect(
      errorsOf(CreatePatientDto, {
        firstName: 'x'.repeat(101),
        lastName: 'Bell\u0007',
        dateOfBirth: '2026-02-30',
        gender: 'other',
        phone: 'p'.repeat(33),
        address: 'a'.repeat(501),
        nationalId: 'ab',
        username: 'no spaces',
        confirmDuplicate: 'maybe',
      }),
    ).toEqual({
      firstName: ['Enter the first name (1 to 100 characters)'],
      lastName: ['A name cannot contain control characters'],
      dateOfBirth: ['There is no such date as 2026-02-30: check the day and the month'],
      gender: ['Choose male or female'],
      phone: [expect.stringContaining('Enter a valid phone number')],
      address: ['Keep the address to at most 500 characters'],
      nationalId: ['Enter the national id as 4 to 32 letters, digits or dashes'],
      username: [expect.stringContaining('3 to 64 characters')],
      confirmDuplicate: [expect.stringContaining('register a patient')],
    });
    expect(errorsOf(CreatePatientDto, {})).toEqual(
      expect.objectContaining({ firstName: expect.any(Array), lastName: expect.any(Array), dateOfBirth: expect.any(Array), gender: expect.any(Array) }),
    );
  });

  it('an edit: what is left out is kept, an emptied optional field is cleared, an emptied required one refused', () => {
    const dto = plainToInstance(UpdatePatientDto, { phone: '', address: null });
    expect(validateSync(dto)).toEqual([]);
    expect(dto).toEqual(expect.objectContaining({ phone: null, address: null }));
    expect(dto.firstName).toBeUndefined();
    expect(Object.keys(errorsOf(UpdatePatientDto, { firstName: '', dateOfBirth: null, gender: '' })).sort()).toEqual(['dateOfBirth', 'firstName', 'gender']);
    expect(errorsOf(UpdatePatientDto, {})).toEqual({});
  });
});
