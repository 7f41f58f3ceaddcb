import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { signInRequired } from './auth.exception';
import type { Principal } from './principal';

/** The signed-in person of a `@Roles(...)` route (the access guard has already made sure there is one). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const user = context.switchToHttp().getRequest<Request>().user;
  if (!user) throw signInRequired();
  return user;
});
