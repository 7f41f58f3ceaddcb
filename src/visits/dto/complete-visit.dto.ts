import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { blankAsMissing, trimmed } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';
import { FOLLOW_UP_AFTER, type FollowUpAfter, MAX_PRESCRIPTIONS, MAX_REQUIREMENTS, REQUIREMENT_KINDS, type RequirementKind } from '../visit-rules';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A repeated form field arrives as a string when there is one row, an array when several. */
const asArray = ({ value }: { value: unknown }): unknown => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);
/** The hard cap of rows a form may post at all (the rule of 20 counts the rows actually used). */
const FORM_ROWS = 200;
const TOO_MANY_LINES = says('visits:errors.tooManyLines', { count: MAX_PRESCRIPTIONS });
const TOO_MANY_REQUIREMENTS = says('visits:errors.tooManyRequirements', { count: MAX_REQUIREMENTS });

const DIAGNOSIS = says('visits:fields.diagnosis');

/** What the visit's text fields share, form and API. */
class VisitTextDto {
  @ApiPropertyOptional({ type: String, maxLength: 4000, description: 'What the patient reports (not shown in the portal).' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(4000, { message: says('visits:fields.symptomsLength') })
  symptoms?: string;

  @ApiProperty({ type: String, minLength: 1, maxLength: 2000, description: 'The diagnosis (the patient reads it in the portal).' })
  @Transform(trimmed)
  @IsString({ message: DIAGNOSIS })
  @MinLength(1, { message: DIAGNOSIS })
  @MaxLength(2000, { message: DIAGNOSIS })
  diagnosis: string;

  @ApiPropertyOptional({ type: String, maxLength: 4000, description: "The doctor's private notes." })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(4000, { message: says('visits:fields.notesLength') })
  notes?: string;
}

/** The completion form: prescription and requirement rows as parallel repeated fields. */
export class CompleteVisitFormDto extends VisitTextDto {
  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(FORM_ROWS, { message: TOO_MANY_LINES })
  @IsString({ each: true })
  @MaxLength(200, { each: true, message: says('visits:fields.medicationLength') })
  medication?: string[];

  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(FORM_ROWS, { message: TOO_MANY_LINES })
  @IsString({ each: true })
  @MaxLength(200, { each: true, message: says('visits:fields.dosageLength') })
  dosage?: string[];

  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(FORM_ROWS, { message: TOO_MANY_LINES })
  @IsString({ each: true })
  @MaxLength(100, { each: true, message: says('visits:fields.durationLength') })
  duration?: string[];

  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(FORM_ROWS, { message: TOO_MANY_LINES })
  @IsString({ each: true })
  @MaxLength(500, { each: true, message: says('visits:fields.instructionsLength') })
  instructions?: string[];

  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(FORM_ROWS, { message: TOO_MANY_REQUIREMENTS })
  @IsString({ each: true })
  requirementKind?: string[];

  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(FORM_ROWS, { message: TOO_MANY_REQUIREMENTS })
  @IsString({ each: true })
  @MaxLength(500, { each: true, message: says('visits:fields.requirementLength') })
  requirementDescription?: string[];

  /** '' (none), a span, or 'date' (then `followUpDate`). */
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn([...FOLLOW_UP_AFTER, 'date'], { message: says('visits:fields.followUpChoice') })
  followUp?: FollowUpAfter | 'date';

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: says('visits:fields.followUpDate') })
  followUpDate?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(500, { message: says('visits:fields.followUpNoteLength') })
  followUpNote?: string;
}

export class PrescriptionDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 200, example: 'Amoxicillin 500 mg' })
  @Transform(trimmed)
  @IsString({ message: says('visits:fields.medicationName') })
  @MinLength(1, { message: says('visits:fields.medicationName') })
  @MaxLength(200, { message: says('visits:fields.medicationLength') })
  medicationName: string;

  @ApiPropertyOptional({ type: String, maxLength: 200, example: '1 capsule every 8 hours' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200, { message: says('visits:fields.dosageLength') })
  dosage?: string;

  @ApiPropertyOptional({ type: String, maxLength: 100, example: '7 days' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100, { message: says('visits:fields.durationLength') })
  duration?: string;

  @ApiPropertyOptional({ type: String, maxLength: 500, example: 'After meals' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(500, { message: says('visits:fields.instructionsLength') })
  instructions?: string;
}

export class RequirementDto {
  @ApiProperty({ enum: [...REQUIREMENT_KINDS] })
  @IsIn(REQUIREMENT_KINDS, { message: says('visits:fields.requirementKind') })
  kind: RequirementKind;

  @ApiProperty({ type: String, minLength: 1, maxLength: 500, example: 'Complete blood count' })
  @Transform(trimmed)
  @IsString({ message: says('visits:fields.requirementDescription') })
  @MinLength(1, { message: says('visits:fields.requirementDescription') })
  @MaxLength(500, { message: says('visits:fields.requirementLength') })
  description: string;
}

export class FollowUpDto {
  @ApiPropertyOptional({ enum: [...FOLLOW_UP_AFTER], description: 'After 1 or 2 weeks, 1 or 3 months (or give `on`).' })
  @IsOptional()
  @IsIn(FOLLOW_UP_AFTER, { message: says('visits:fields.followUpAfter') })
  after?: FollowUpAfter;

  @ApiPropertyOptional({ type: String, format: 'date', description: 'On this clinic-local day (instead of `after`).' })
  @IsOptional()
  @Matches(DATE, { message: says('visits:fields.followUpDate') })
  on?: string;

  @ApiPropertyOptional({ type: String, maxLength: 500, description: 'For the front desk.' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(500, { message: says('visits:fields.followUpNoteLength') })
  note?: string;
}

/** The API's completion: lines as arrays of objects. */
export class CompleteVisitDto extends VisitTextDto {
  @ApiPropertyOptional({ type: [PrescriptionDto], maxItems: MAX_PRESCRIPTIONS, description: 'The prescription, in order.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PRESCRIPTIONS, { message: TOO_MANY_LINES })
  @ValidateNested({ each: true })
  @Type(() => PrescriptionDto)
  prescriptions?: PrescriptionDto[];

  @ApiPropertyOptional({ type: [RequirementDto], maxItems: MAX_REQUIREMENTS, description: 'Tests, imaging and treatment asked for, in order.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REQUIREMENTS, { message: TOO_MANY_REQUIREMENTS })
  @ValidateNested({ each: true })
  @Type(() => RequirementDto)
  requirements?: RequirementDto[];

  @ApiPropertyOptional({ type: FollowUpDto, description: 'A follow-up visit for the front desk to book.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FollowUpDto)
  followUp?: FollowUpDto;
}

export class AmendmentDto {
  @ApiProperty({ type: String, minLength: 1, maxLength: 4000, description: 'The correction, appended with who and when (the record itself never changes).' })
  @Transform(trimmed)
  @IsString({ message: says('visits:fields.amendment') })
  @MinLength(1, { message: says('visits:fields.amendment') })
  @MaxLength(4000, { message: says('visits:fields.amendmentLength') })
  text: string;
}

const firstString = ({ value }: { value: unknown }): unknown => (Array.isArray(value) ? value[0] : value);

/** The medication autocomplete: `medication` (the input's own name, sent by hx-include) or `q`. */
export class MedicationQueryDto {
  @IsOptional()
  @Transform(firstString)
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @Transform(firstString)
  @IsString()
  @MaxLength(200)
  medication?: string;
}

export class LineQueryDto {
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(/^\d{1,3}$/, { message: says('visits:fields.lineIndex') })
  index?: string;
}
