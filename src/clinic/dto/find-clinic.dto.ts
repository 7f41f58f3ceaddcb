import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

export class FindClinicDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toLowerCase() : value))
  @IsString()
  @Length(1, 253, { message: 'Type your clinic’s address' })
  clinic: string;
}
