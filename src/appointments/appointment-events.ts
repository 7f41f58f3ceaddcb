import { Injectable } from '@nestjs/common';

/** A doctor's time that a cancellation or a move has just freed. */
export interface FreedSlot {
  readonly appointmentId: string;
  readonly doctorId: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
}

/** What other capabilities do when an appointment changes, in the same transaction as the change. */
export interface AppointmentHooks {
  /** Became a no-show (by a person, or by the sweep): the penalty and the notice. */
  noShow?(appointment: { readonly id: string; readonly patientId: string }): Promise<void>;
  /** A future time became free: the waitlist's offers. */
  slotFreed?(slot: FreedSlot): Promise<void>;
}

/**
 * The appointment lifecycle's hooks. Features that react to it (no-show penalties, the waitlist)
 * register here instead of the appointments capability depending on each of them; every hook runs
 * inside the request's transaction, so its writes commit or roll back with the change.
 */
@Injectable()
export class AppointmentEvents {
  private readonly hooks: AppointmentHooks[] = [];

  register(hooks: AppointmentHooks): void {
    this.hooks.push(hooks);
  }

  async noShow(appointment: { readonly id: string; readonly patientId: string }): Promise<void> {
    for (const hooks of this.hooks) await hooks.noShow?.(appointment);
  }

  async slotFreed(slot: FreedSlot): Promise<void> {
    for (const hooks of this.hooks) await hooks.slotFreed?.(slot);
  }
}
