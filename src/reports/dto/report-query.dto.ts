import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { DATE } from '../../appointments/dto/appointment.dto';
import { ID as ID_FORMAT, LOCAL_DATE } from '../../common/openapi/formats';
import { ID_PATTERN as ID } from '../../common/validation/ids';
import { blankAsMissing } from '../../common/validation/validators';
import { says } from '../../i18n/i18n';

/** One `doctorId` or several (`?doctorId=1&doctorId=2`, or `1,2`); none means all doctors. */
const idList = ({ value }: { value: unknown }): unknown => {
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v]));
  const ids = items.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== '' && v !== undefined);
  return ids.length ? ids : undefined;
};

/** A period of clinic-local days, both ends optional (the dashboard's and the invoice list's). */
export class PeriodQueryDto {
  @ApiPropertyOptional({ ...LOCAL_DATE, description: 'The first clinic-local day (included).' })
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: says('reports:fields.from') })
  from?: string;

  @ApiPropertyOptional({ ...LOCAL_DATE, description: 'The last clinic-local day (included).' })
  @IsOptional()
  @Transform(blankAsMissing)
  @Matches(DATE, { message: says('reports:fields.to') })
  to?: string;
}

/** The dashboard's filter, the summary API's and the exports': a period and some doctors. */
export class ReportQueryDto extends PeriodQueryDto {
  @ApiPropertyOptional({
    type: [String],
    items: { type: 'string', pattern: ID_FORMAT.pattern },
    maxItems: 200,
    description: 'Only these doctors (`?doctorId=1&doctorId=2` or `1,2`); none: all doctors.',
  })
  @IsOptional()
  @Transform(idList)
  @IsArray()
  @ArrayMaxSize(200, { message: says('reports:fields.tooManyDoctors') })
  @Matches(ID, { each: true, message: says('reports:fields.doctors') })
  doctorId?: string[];
}
