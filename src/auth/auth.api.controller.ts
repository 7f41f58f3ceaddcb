import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
import { Public, Roles } from './access.decorator';
import { AuthService } from './auth.service';
import { CurrentUser } from './current-user.decorator';
import { AccessTokenDto, PatientSignInDto, StaffSignInDto } from './dto/sign-in.dto';
import type { Principal } from './principal';
import { SignInThrottlerGuard } from './sign-in-throttler.guard';

export interface AccessTokenResponse {
  readonly accessToken: string;
  readonly expiresIn: number;
}

/** Sign-in for API clients: the token goes in `Authorization: Bearer …` on `/api/v1/*`. */
@ApiTags('auth')
@Controller('api/v1')
export class AuthApiController {
  constructor(private readonly auth: AuthService) {}

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Staff sign-in: username and password → a bearer token' })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiRefusals({
    401: 'Wrong username or password (`invalid_credentials`); the same answer for an unknown username.',
    403: 'The account is deactivated (`account_inactive`).',
    423: 'Locked for 15 minutes after 15 failed sign-ins (`account_locked`).',
    429: 'Too many sign-in attempts from this address (`too_many_attempts`); see `Retry-After`.',
  })
  @UseGuards(SignInThrottlerGuard)
  async signIn(@Body() body: StaffSignInDto, @Req() req: Request): Promise<AccessTokenResponse> {
    const { accessToken, expiresIn } = await this.auth.signInStaff(body.username, body.password, req.ip);
    return { accessToken, expiresIn };
  }

  @Post('auth/patient-login')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Patient sign-in: phone and portal username (no password) → a bearer token' })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiRefusals({
    401: 'No patient with that phone and username (`invalid_credentials`).',
    403: 'The account is deactivated (`account_inactive`).',
    423: 'Locked for 15 minutes after 15 failed sign-ins (`account_locked`).',
    429: 'Too many sign-in attempts from this address (`too_many_attempts`); see `Retry-After`.',
  })
  @UseGuards(SignInThrottlerGuard)
  async patientSignIn(@Body() body: PatientSignInDto, @Req() req: Request): Promise<AccessTokenResponse> {
    const { accessToken, expiresIn } = await this.auth.signInPatient(body.phone, body.username, req.ip);
    return { accessToken, expiresIn };
  }

  /** Ends the token's session; the token is refused from then on. */
  @Post('auth/logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Ends the token's session; the token is refused from then on" })
  @Roles('admin', 'doctor', 'reception', 'patient')
  async signOut(@CurrentUser() user: Principal, @Req() req: Request): Promise<void> {
    await this.auth.signOut(user, req.ip);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Who the token belongs to: the user, role and clinic' })
  @Roles('admin', 'doctor', 'reception', 'patient')
  me(@CurrentUser() user: Principal) {
    return this.auth.describe(user);
  }
}
