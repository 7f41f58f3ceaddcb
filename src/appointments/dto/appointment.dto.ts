import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MONEY_MESSAGE, MONEY_PATTERN } from '../../common/money';
import { blankAsMissing, checkbox, moneyText, RequiredReason, trimmed } from '../../common/validation/validators';
import { ID_PATTERN as ID } from '../../common/validation/ids';

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A local day and a time on it: what every booking and move chooses. */
export class SlotChoiceDto {
  @Transform(trimmed)
  @Matches(DATE, { message: 'Enter the date as YYYY-MM-DD' })
  date: string;

  @Transform(trimmed)
  @Matches(TIME, { message: 'Pick a time (HH:MM)' })
  time: string;
}

/** A booking with a doctor at a time (the patient portal's; the front desk's adds the patient). */
export class DoctorSlotDto extends SlotChoiceDto {
  @Transform(trimmed)
  @Matches(ID, { message: 'Choose a doctor from the list' })
  doctorId: string;
}

export class MoveAppointmentDto extends SlotChoiceDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: 'Choose a doctor from the list' })
  doctorId?: string;
}

export class BookAppointmentDto extends DoctorSlotDto {
  @Transform(trimmed)
  @Matches(ID, { message: 'Choose a registered patient' })
  patientId: string;

  @IsOptional()
  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: MONEY_MESSAGE })
  cost?: string;

  @IsOptional()
  @Transform(checkbox)
  @IsBoolean({ message: 'Priority is yes or no' })
  isPriority?: boolean;

  @IsOptional()
  @Transform(blankAsMissing)
  @IsString()
  @MaxLength(2000, { message: 'Notes have at most 2000 characters' })
  notes?: string;

  /** The follow-up this booking fulfils: it leaves the front desk's list with this booking. */
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: 'Unknown follow-up' })
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
  @RequiredReason('Say why the appointment is cancelled')
  reason: string;
}

export class ChangeStatusDto {
  @IsIn(['checked_in', 'cancelled', 'no_show'], { message: 'The status is one of checked_in, cancelled, no_show' })
  status: 'checked_in' | 'cancelled' | 'no_show';

  @IsOptional()
  @Transform(blankAsMissing)
  @IsString()
  @MaxLength(500, { message: 'A reason has at most 500 characters' })
  reason?: string;
}

export class DayQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: 'Enter the date as YYYY-MM-DD' })
  date?: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: 'Choose a doctor from the list' })
  doctorId?: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn(['scheduled', 'checked_in', 'completed', 'cancelled', 'no_show'], { message: 'Unknown status' })
  status?: 'scheduled' | 'checked_in' | 'completed' | 'cancelled' | 'no_show';
}

export class NewAppointmentQueryDto extends DayQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: 'Choose a registered patient' })
  patientId?: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: 'Unknown follow-up' })
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
  @Matches(ID, { message: 'Choose a doctor from the list' })
  doctorId?: string;

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: 'Enter the date as YYYY-MM-DD' })
  date?: string;
}

export class SlotsQueryDto extends DoctorDayQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(TIME, { message: 'Pick a time (HH:MM)' })
  time?: string;

  /** When moving an appointment: its own time counts as free. */
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID)
  appointmentId?: string;
}
