import { AppException } from '../common/errors/app-exception';
import type { ExistingFile } from './patient';

export type PatientErrorCode = 'patient_not_found' | 'invalid_patient' | 'possible_duplicate' | 'username_taken' | 'national_id_taken';

const STATUS_BY_CODE: Record<PatientErrorCode, number> = {
  patient_not_found: 404,
  invalid_patient: 422,
  possible_duplicate: 409,
  username_taken: 409,
  national_id_taken: 409,
};

/** A refused read or change of a patient file; nothing of the request was written. */
export class PatientException extends AppException {
  constructor(
    code: PatientErrorCode,
    message: string,
    fields?: Record<string, string[]>,
    /** For `possible_duplicate`: the files the form offers to open instead. */
    readonly duplicates: ExistingFile[] = [],
  ) {
    super(code, STATUS_BY_CODE[code], message, fields);
  }
}

export const fieldsNeedAttention = 'Some fields need your attention.';

export const patientNotFound = () => new PatientException('patient_not_found', 'There is no patient with this id in this clinic.');

export const invalidPatient = (fields: Record<string, string[]>) => new PatientException('invalid_patient', fieldsNeedAttention, fields);

/**
 * Same phone and date of birth as an existing file: most likely the same person registering twice.
 * The ids are in `fields.existingPatientIds` for API clients; `confirmDuplicate` registers anyway.
 */
export function possibleDuplicate(files: ExistingFile[]): PatientException {
  const list = files.map((f) => `file ${f.fileNumber} — ${f.fullName} (id ${f.id})`).join('; ');
  return new PatientException(
    'possible_duplicate',
    `A patient with this phone number and date of birth is already registered: ${list}. Open the existing file, or register a new one anyway.`,
    {
      confirmDuplicate: ['This may be a patient who is already registered. Check the existing file first; confirm to register a new file anyway'],
      existingPatientIds: files.map((f) => f.id),
    },
    files,
  );
}
