import { IsAcceptablePassword } from '../../common/validation/validators';

export class ResetPasswordDto {
  @IsAcceptablePassword()
  password: string;
}
