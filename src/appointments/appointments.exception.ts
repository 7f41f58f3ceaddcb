import { AppException } from '../common/errors/app-exception';

export type AppointmentErrorCode =
  | 'appointment_not_found'
  | 'patient_not_found'
  | 'doctor_not_found'
  | 'slot_taken'
  | 'slot_unavailable'
  | 'invalid_transition'
  | 'invalid_appointment';

const STATUS_BY_CODE: Record<AppointmentErrorCode, number> = {
  appointment_not_found: 404,
  patient_not_found: 404,
  doctor_not_found: 404,
  slot_taken: 409,
  slot_unavailable: 422,
  invalid_transition: 409,
  invalid_appointment: 422,
};

export class AppointmentException extends AppException {
  constructor(code: AppointmentErrorCode, message: string, fields?: Record<string, string[]>) {
    super(code, STATUS_BY_CODE[code], message, fields);
  }
}
