import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Language } from '../i18n/i18n';

export const USER_ROLES = ['admin', 'doctor', 'reception', 'patient'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A person who signs in to one clinic (table `users` in the clinic's schema). */
@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'citext' })
  username: string;

  /** E.164, or null for staff without a phone on file. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ name: 'full_name', type: 'text' })
  fullName: string;

  @Column({ type: 'text' })
  role: UserRole;

  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  /** The person's own language, once they have chosen one with the switch (else the clinic's default). */
  @Column({ type: 'text', nullable: true })
  language: Language | null;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive: boolean;

  @Column({ name: 'failed_logins', type: 'integer', default: 0 })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
