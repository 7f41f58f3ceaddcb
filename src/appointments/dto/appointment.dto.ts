import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MONEY_PATTERN } from '../../common/money';
import { blankAsMissing, checkbox, moneyText, RequiredReason, trimmed } from '../../common/validation/validators';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { says } from '../../i18n/i18n';

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A local day and a time on it: what every booking and move chooses. */
export class SlotChoiceDto {
  @Transform(trimmed)
  @Matches(DATE, { message: says('appointments:fields.theDateFormat') })
  date: string;

  @Transform(trimmed)
  @Matches(TIME, { message: says('appointments:fields.timeFormat') })
  time: string;
}

/** A booking with a doctor at a time (the patient portal's; the front desk's adds the patient). */
export class DoctorSlotDto extends SlotChoiceDto {
  @Transform(trimmed)
  @Matches(ID, { message: says('appointments:fields.chooseDoctor') })
  doctorId: string;
}

export class MoveAppointmentDto extends SlotChoiceDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('appointments:fields.chooseDoctor') })
  doctorId?: string;
}

export class BookAppointmentDto extends DoctorSlotDto {
  @Transform(trimmed)
  @Matches(ID, { message: says('appointments:fields.choosePatient') })
  patientId: string;

  @IsOptional()
  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: says('appointments:fields.cost') })
  cost?: string;

  @IsOptional()
  @Transform(checkbox)
  @IsBoolean({ message: says('appointments:fields.priority') })
  isPriority?: boolean;

  @IsOptional()
  @Transform(blankAsMissing)
  @IsString()
  @MaxLength(2000, { message: says('appointments:fields.notesLength') })
  notes?: string;

  /** The follow-up this booking fulfils: it leaves the front desk's list with this booking. */
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('appointments:fields.unknownFollowUp') })
  followUpId?: string;
}

/** The booking form also says where to go afterwards. */
export class BookAppointmentFormDto extends BookAppointmentDto {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}

export class CancelAppointmentDto {
  @RequiredReason(says('appointments:fields.reasonRequired'))
  reason: string;
}

export class ChangeStatusDto {
  @IsIn(['checked_in', 'cancelled', 'no_show'], { message: says('appointments:fields.statusChange') })
  status: 'checked_in' | 'cancelled' | 'no_show';

  @IsOptional()
  @Transform(blankAsMissing)
  @IsString()
  @MaxLength(500, { message: says('common:validation.reasonTooLong') })
  reason?: string;
}

export class DayQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: says('appointments:fields.theDateFormat') })
  date?: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('appointments:fields.chooseDoctor') })
  doctorId?: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(['scheduled', 'checked_in', 'completed', 'cancelled', 'no_show'], { message: says('appointments:fields.unknownStatus') })
  status?: 'scheduled' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';
}

export class NewAppointmentQueryDto extends DayQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('appointments:fields.choosePatient') })
  patientId?: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('appointments:fields.unknownFollowUp') })
  followUpId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}

/** A doctor and a day, either still missing while someone chooses (the slot pickers, the portal's book page). */
export class DoctorDayQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('appointments:fields.chooseDoctor') })
  doctorId?: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: says('appointments:fields.theDateFormat') })
  date?: string;
}

export class SlotsQueryDto extends DoctorDayQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(TIME, { message: says('appointments:fields.timeFormat') })
  time?: string;

  /** When moving an appointment: its own time counts as free. */
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID)
  appointmentId?: string;
}
