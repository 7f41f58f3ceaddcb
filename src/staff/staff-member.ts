import type { StaffMemberRole } from './dto/create-staff.dto';

/** A staff user as the staff screens and the API show them (never the password hash). */
export interface StaffMember {
  readonly id: string;
  readonly username: string;
  readonly fullName: string;
  readonly role: StaffMemberRole;
  /** E.164, or null. */
  readonly phone: string | null;
  readonly isActive: boolean;
  /** Locked out after too many failed sign-ins, right now. */
  readonly isLocked: boolean;
  readonly createdAt: Date;
  /** Only for doctors. */
  readonly doctor: DoctorTerms | null;
}

export interface DoctorTerms {
  readonly specialty: string | null;
  /** numeric(10,2) as text, e.g. "250.00": money never passes through a float. */
  readonly consultationFee: string;
  readonly currency: string;
  readonly slotMinutes: number;
}
