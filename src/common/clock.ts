/** Where the app reads the time, so that rules about time (lockouts, idle sessions) are testable without sleeping. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
