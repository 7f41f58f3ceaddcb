import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MONEY_PATTERN } from '../../common/money';
import { ID as ID_FORMAT, LOCAL_DATE, LOCAL_TIME, MONEY } from '../../common/openapi/formats';
import { blankAsMissing, checkbox, moneyText, RequiredReason, trimmed } from '../../common/validation/validators';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { says } from '../../i18n/i18n';

export const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A local day and a time on it: what every booking and move chooses. */
export class SlotChoiceDto {
  @ApiProperty({ ...LOCAL_DATE, description: 'The clinic-local day.' })
  @Transform(trimmed)
  @Matches(DATE, { message: says('appointments:fields.theDateFormat') })
  date: string;

  @ApiProperty({ ...LOCAL_TIME, description: "One of the doctor's slot times that day (`HH:MM`, clinic-local)." })
  @Transform(trimmed)
  @Matches(TIME, { message: says('appointments:fields.timeFormat') })
  time: string;
}

/** A booking with a doctor at a time (the patient portal's; the front desk's adds the patient). */
export class DoctorSlotDto extends SlotChoiceDto {
  @ApiProperty({ ...ID_FORMAT, description: 'The doctor.' })
  @Transform(trimmed)
  @Matches(ID, { message: says('appointments:fields.chooseDoctor') })
  doctorId: string;
}

export class MoveAppointmentDto extends SlotChoiceDto {
  @ApiPropertyOptional({ ...ID_FORMAT, description: 'Another doctor; left out: the same doctor.' })
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('appointments:fields.chooseDoctor') })
  doctorId?: string;
}

export class BookAppointmentDto extends DoctorSlotDto {
  @ApiProperty({ ...ID_FORMAT, description: 'The patient file.' })
  @Transform(trimmed)
  @Matches(ID, { message: says('appointments:fields.choosePatient') })
  patientId: string;

  @ApiPropertyOptional({ ...MONEY, description: "The visit's price; left out: the doctor's consultation fee." })
  @IsOptional()
  @Transform(moneyText)
  @Matches(MONEY_PATTERN, { message: says('appointments:fields.cost') })
  cost?: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Seen first among the patients booked at that time.', default: false })
  @IsOptional()
  @Transform(checkbox)
  @IsBoolean({ message: says('appointments:fields.priority') })
  isPriority?: boolean;

  @ApiPropertyOptional({ type: String, maxLength: 2000, description: "The front desk's notes." })
  @IsOptional()
  @Transform(blankAsMissing)
  @IsString()
  @MaxLength(2000, { message: says('appointments:fields.notesLength') })
  notes?: string;

  /** The follow-up this booking fulfils: it leaves the front desk's list with this booking. */
  @ApiPropertyOptional({ ...ID_FORMAT, description: "The follow-up this booking fulfils: it leaves the front desk's list." })
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
  @ApiProperty({ enum: ['checked_in', 'cancelled', 'no_show'], description: 'The new status (completing belongs to `POST /api/v1/visits/{id}/complete`).' })
  @IsIn(['checked_in', 'cancelled', 'no_show'], { message: says('appointments:fields.statusChange') })
  status: 'checked_in' | 'cancelled' | 'no_show';

  @ApiPropertyOptional({ type: String, maxLength: 500, description: 'Why (recorded with a cancellation).' })
  @IsOptional()
  @Transform(blankAsMissing)
  @IsString()
  @MaxLength(500, { message: says('common:validation.reasonTooLong') })
  reason?: string;
}

export class DayQueryDto {
  @ApiPropertyOptional({ ...LOCAL_DATE, description: "The clinic-local day; left out: the clinic's today." })
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: says('appointments:fields.theDateFormat') })
  date?: string;

  @ApiPropertyOptional({ ...ID_FORMAT, description: "Only this doctor's appointments (not used by the slots route, whose path names the doctor)." })
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('appointments:fields.chooseDoctor') })
  doctorId?: string;

  @ApiPropertyOptional({ enum: ['scheduled', 'checked_in', 'completed', 'cancelled', 'no_show'], description: 'Only appointments in this status (not used by the slots route).' })
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
  @ApiPropertyOptional({ ...ID_FORMAT, description: "The doctor (the forms' pickers; the API's slots route names the doctor in its path instead)." })
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(ID, { message: says('appointments:fields.chooseDoctor') })
  doctorId?: string;

  @ApiPropertyOptional({ ...LOCAL_DATE, description: 'The clinic-local day; left out: the first day that can be booked.' })
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
