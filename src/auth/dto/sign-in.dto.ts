import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone';
import { says } from '../../i18n/i18n';
import { PASSWORD_MAX_LENGTH } from '../../users/passwords';

export class StaffSignInDto {
  @IsString({ message: says('auth:fields.usernameRequired') })
  @IsNotEmpty({ message: says('auth:fields.usernameRequired') })
  @MaxLength(64, { message: says('auth:fields.usernameTooLong') })
  username: string;

  @IsString({ message: says('auth:fields.passwordRequired') })
  @IsNotEmpty({ message: says('auth:fields.passwordRequired') })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: says('auth:fields.passwordTooLong', { max: PASSWORD_MAX_LENGTH }) })
  password: string;
}

export class PatientSignInDto {
  @IsString({ message: says('auth:fields.phoneRequired') })
  @IsNotEmpty({ message: says('auth:fields.phoneRequired') })
  @MaxLength(PHONE_INPUT_MAX_LENGTH, { message: says('auth:fields.phoneTooLong', { max: PHONE_INPUT_MAX_LENGTH }) })
  phone: string;

  @IsString({ message: says('auth:fields.usernameRequired') })
  @IsNotEmpty({ message: says('auth:fields.usernameRequired') })
  @MaxLength(64, { message: says('auth:fields.usernameTooLong') })
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
