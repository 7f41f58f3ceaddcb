import { IsAcceptablePassword } from './staff-validators';

export class ResetPasswordDto {
  @IsAcceptablePassword()
  password: string;
}
