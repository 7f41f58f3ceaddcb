import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { says } from '../../i18n/i18n';

export class FindClinicDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @Length(1, 253, { message: says('clinic:landing.addressRequired') })
  clinic: string;
}
