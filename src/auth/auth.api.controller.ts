import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { Public, Roles } from './access.decorator';
import { AuthService } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { PatientSignInDto, StaffSignInDto } from './dto/sign-in.dto';
import type { Principal } from './principal';
import { SignInThrottlerGuard } from './sign-in-throttler.guard';

export interface AccessTokenResponse {
  readonly accessToken: string;
  readonly expiresIn: number;
}

/** Sign-in for API clients: the token goes in `Authorization: Bearer …` on `/api/v1/*`. */
@Controller('api/v1')
export class AuthApiController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  @UseGuards(SignInThrottlerGuard)
  async signIn(@Body() body: StaffSignInDto, @Req() req: Request): Promise<AccessTokenResponse> {
    const { accessToken, expiresIn } = await this.auth.signInStaff(body.username, body.password, req.ip);
    return { accessToken, expiresIn };
  }

  @Post('auth/patient-login')
  @HttpCode(200)
  @Public()
  @UseGuards(SignInThrottlerGuard)
  async patientSignIn(@Body() body: PatientSignInDto, @Req() req: Request): Promise<AccessTokenResponse> {
    const { accessToken, expiresIn } = await this.auth.signInPatient(body.phone, body.username, req.ip);
    return { accessToken, expiresIn };
  }

  /** Ends the token's session; the token is refused from then on. */
  @Post('auth/logout')
  @HttpCode(204)
  @Roles('admin', 'doctor', 'reception', 'patient')
  async signOut(@CurrentUser() user: Principal, @Req() req: Request): Promise<void> {
    await this.auth.signOut(user, req.ip);
  }

  @Get('me')
  @Roles('admin', 'doctor', 'reception', 'patient')
  me(@CurrentUser() user: Principal) {
    return this.auth.describe(user);
  }
}
