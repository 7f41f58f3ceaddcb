import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { PHONE_INPUT_MAX_LENGTH } from '../../common/phone';
import { says } from '../../i18n/i18n';
import { PASSWORD_MAX_LENGTH } from '../../users/passwords';

export class StaffSignInDto {
  @ApiProperty({ type: String, maxLength: 64, description: "The staff member's username.", example: 'reception1' })
  @IsString({ message: says('auth:fields.usernameRequired') })
  @IsNotEmpty({ message: says('auth:fields.usernameRequired') })
  @MaxLength(64, { message: says('auth:fields.usernameTooLong') })
  username: string;

  @ApiProperty({ type: String, format: 'password', maxLength: PASSWORD_MAX_LENGTH, description: 'The password.' })
  @IsString({ message: says('auth:fields.passwordRequired') })
  @IsNotEmpty({ message: says('auth:fields.passwordRequired') })
  @MaxLength(PASSWORD_MAX_LENGTH, { message: says('auth:fields.passwordTooLong', { max: PASSWORD_MAX_LENGTH }) })
  password: string;
}

export class PatientSignInDto {
  @ApiProperty({
    type: String,
    maxLength: PHONE_INPUT_MAX_LENGTH,
    description: "The patient's phone as they write it; read in the clinic's region (`010 1234 5678`, `+20 10 1234 5678` and `00201012345678` are one number).",
    example: '+201012345678',
  })
  @IsString({ message: says('auth:fields.phoneRequired') })
  @IsNotEmpty({ message: says('auth:fields.phoneRequired') })
  @MaxLength(PHONE_INPUT_MAX_LENGTH, { message: says('auth:fields.phoneTooLong', { max: PHONE_INPUT_MAX_LENGTH }) })
  phone: string;

  @ApiProperty({ type: String, maxLength: 64, description: "The patient's portal username.", example: 'amir.hassan' })
  @IsString({ message: says('auth:fields.usernameRequired') })
  @IsNotEmpty({ message: says('auth:fields.usernameRequired') })
  @MaxLength(64, { message: says('auth:fields.usernameTooLong') })
  username: string;
}

/** What both sign-ins answer. */
export class AccessTokenDto {
  @ApiProperty({ description: 'A JWT to send as `Authorization: Bearer <accessToken>` to this clinic\'s host.' })
  accessToken: string;

  @ApiProperty({ type: 'integer', description: 'Seconds until the token expires (its session may end sooner: sign-out, idle time).', example: 43200 })
  expiresIn: number;
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
