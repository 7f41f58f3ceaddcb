import { ApiProperty } from '@nestjs/swagger';
import { IsAcceptablePassword } from '../../common/validation/validators';
import { PASSWORD } from './create-staff.dto';

export class ResetPasswordDto {
  @ApiProperty({ ...PASSWORD, description: `The new password: at least ${PASSWORD.minLength} characters. Ends every session of the account.` })
  @IsAcceptablePassword()
  password: string;
}
