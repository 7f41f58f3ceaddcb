import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { blankAsMissing, trimmed } from '../../common/validation/validators';
import { FOLLOW_UP_AFTER, type FollowUpAfter, MAX_PRESCRIPTIONS, MAX_REQUIREMENTS, REQUIREMENT_KINDS, type RequirementKind } from '../visit-rules';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A repeated form field arrives as a string when there is one row, an array when several. */
const asArray = ({ value }: { value: unknown }): unknown => (value === undefined ? undefined : Array.isArray(value) ? value : [value]);
/** The hard cap of rows a form may post at all (the rule of 20 counts the rows actually used). */
const FORM_ROWS = 200;
const TOO_MANY_LINES = `At most ${MAX_PRESCRIPTIONS} medication lines per visit`;
const TOO_MANY_REQUIREMENTS = `At most ${MAX_REQUIREMENTS} requirements per visit`;

const DIAGNOSIS = 'Enter the diagnosis (at most 2000 characters)';

/** What the visit's text fields share, form and API. */
class VisitTextDto {
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(4000, { message: 'Symptoms have at most 4000 characters' })
  symptoms?: string;

  @Transform(trimmed)
  @IsString({ message: DIAGNOSIS })
  @MinLength(1, { message: DIAGNOSIS })
  @MaxLength(2000, { message: DIAGNOSIS })
  diagnosis: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(4000, { message: 'Notes have at most 4000 characters' })
  notes?: string;
}

/** The completion form: prescription and requirement rows as parallel repeated fields. */
export class CompleteVisitFormDto extends VisitTextDto {
  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(FORM_ROWS, { message: TOO_MANY_LINES })
  @IsString({ each: true })
  @MaxLength(200, { each: true, message: 'A medication name has at most 200 characters' })
  medication?: string[];

  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(FORM_ROWS, { message: TOO_MANY_LINES })
  @IsString({ each: true })
  @MaxLength(200, { each: true, message: 'A dosage has at most 200 characters' })
  dosage?: string[];

  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(FORM_ROWS, { message: TOO_MANY_LINES })
  @IsString({ each: true })
  @MaxLength(100, { each: true, message: 'A duration has at most 100 characters' })
  duration?: string[];

  @IsOptional()
  @Transform(asArray)
  @IsArray()
  @ArrayMaxSize(FORM_ROWS, { message: TOO_MANY_LINES })
  @IsString({ each: true })
  @MaxLength(500, { each: true, message: 'Instructions have at most 500 characters' })
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
  @MaxLength(500, { each: true, message: 'A requirement has at most 500 characters' })
  requirementDescription?: string[];

  /** '' (none), a span, or 'date' (then `followUpDate`). */
  @IsOptional()
  @Transform(blankAsMissing)
  @IsIn([...FOLLOW_UP_AFTER, 'date'], { message: 'Choose when to see the patient again' })
  followUp?: FollowUpAfter | 'date';

  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: 'Enter the follow-up date as YYYY-MM-DD' })
  followUpDate?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(500, { message: 'A follow-up note has at most 500 characters' })
  followUpNote?: string;
}

export class PrescriptionDto {
  @Transform(trimmed)
  @IsString({ message: 'Enter the medication name' })
  @MinLength(1, { message: 'Enter the medication name' })
  @MaxLength(200, { message: 'A medication name has at most 200 characters' })
  medicationName: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200, { message: 'A dosage has at most 200 characters' })
  dosage?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100, { message: 'A duration has at most 100 characters' })
  duration?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(500, { message: 'Instructions have at most 500 characters' })
  instructions?: string;
}

export class RequirementDto {
  @IsIn(REQUIREMENT_KINDS, { message: 'The kind is one of lab, imaging, treatment, other' })
  kind: RequirementKind;

  @Transform(trimmed)
  @IsString({ message: 'Describe the requirement' })
  @MinLength(1, { message: 'Describe the requirement' })
  @MaxLength(500, { message: 'A requirement has at most 500 characters' })
  description: string;
}

export class FollowUpDto {
  @IsOptional()
  @IsIn(FOLLOW_UP_AFTER, { message: 'after is one of 1w, 2w, 1m, 3m' })
  after?: FollowUpAfter;

  @IsOptional()
  @Matches(DATE, { message: 'Enter the follow-up date as YYYY-MM-DD' })
  on?: string;

  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(500, { message: 'A follow-up note has at most 500 characters' })
  note?: string;
}

/** The API's completion: lines as arrays of objects. */
export class CompleteVisitDto extends VisitTextDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PRESCRIPTIONS, { message: TOO_MANY_LINES })
  @ValidateNested({ each: true })
  @Type(() => PrescriptionDto)
  prescriptions?: PrescriptionDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REQUIREMENTS, { message: TOO_MANY_REQUIREMENTS })
  @ValidateNested({ each: true })
  @Type(() => RequirementDto)
  requirements?: RequirementDto[];

  @IsOptional()
  @ValidateNested()
  @Type(() => FollowUpDto)
  followUp?: FollowUpDto;
}

export class AmendmentDto {
  @Transform(trimmed)
  @IsString({ message: 'Write the amendment' })
  @MinLength(1, { message: 'Write the amendment' })
  @MaxLength(4000, { message: 'An amendment has at most 4000 characters' })
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
  @Matches(/^\d{1,3}$/, { message: 'index is a row number' })
  index?: string;
}
