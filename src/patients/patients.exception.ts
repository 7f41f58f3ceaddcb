import { AppException } from '../common/errors/app-exception';
import { t } from '../i18n/i18n';
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

export const fieldsNeedAttention = (): string => t('common:errors.checkFields');

export const patientNotFound = () => new PatientException('patient_not_found', t('patients:errors.notFound'));

export const invalidPatient = (fields: Record<string, string[]>) => new PatientException('invalid_patient', fieldsNeedAttention(), fields);

/**
 * Same phone and date of birth as an existing file: most likely the same person registering twice.
 * The ids are in `fields.existingPatientIds` for API clients; `confirmDuplicate` registers anyway.
 */
export function possibleDuplicate(files: ExistingFile[]): PatientException {
  const list = files
    .map((f) => t('patients:errors.duplicateFile', { fileNumber: f.fileNumber, name: f.fullName, id: f.id }))
    .join(t('patients:errors.duplicateSeparator'));
  return new PatientException(
    'possible_duplicate',
    t('patients:errors.possibleDuplicate', { files: list }),
    {
      confirmDuplicate: [t('patients:fields.duplicate')],
      existingPatientIds: files.map((f) => f.id),
    },
    files,
  );
}
