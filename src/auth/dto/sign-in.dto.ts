import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone';
import { PASSWORD_MAX_LENGTH } from '../../users/passwords';

export class StaffSignInDto {
  @IsString({ message: 'Enter your username' })
  @IsNotEmpty({ message: 'Enter your username' })
  @MaxLength(64, { message: 'A username has at most 64 characters' })
  username: string;

  @IsString({ message: 'Enter your password' })
  @IsNotEmpty({ message: 'Enter your password' })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: `A password has at most ${PASSWORD_MAX_LENGTH} characters` })
  password: string;
}

export class PatientSignInDto {
  @IsString({ message: 'Enter your phone number' })
  @IsNotEmpty({ message: 'Enter your phone number' })
  @MaxLength(PHONE_INPUT_MAX_LENGTH, { message: `A phone number has at most ${PHONE_INPUT_MAX_LENGTH} characters` })
  phone: string;

  @IsString({ message: 'Enter your username' })
  @IsNotEmpty({ message: 'Enter your username' })
  @MaxLength(64, { message: 'A username has at most 64 characters' })
  username: string;
}

/** The sign-in forms also carry where to go afterwards. */
export class StaffSignInFormDto extends StaffSignInDto {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}

export class PatientSignInFormDto extends PatientSignInDto {
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  next?: string;
}
