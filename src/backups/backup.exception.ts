import { AppException } from '../common/errors/app-exception';

export type BackupErrorCode =
  /** The file is not a clinic backup, is damaged, or holds something a backup of a clinic never holds. */
  | 'backup_invalid'
  /** No file at that path (or it cannot be read). */
  | 'backup_not_found'
  /** `--out` names a file that already exists: backups are never overwritten. */
  | 'backup_exists'
  /** The backup was made by a newer platform (a migration this code does not know). */
  | 'backup_too_new'
  /** pg_dump is missing, too old for the server, or failed. */
  | 'pg_dump_unavailable'
  | 'pg_dump_failed';

const STATUS_BY_CODE: Record<BackupErrorCode, number> = {
  backup_invalid: 422,
  backup_not_found: 404,
  backup_exists: 409,
  backup_too_new: 422,
  pg_dump_unavailable: 503,
  pg_dump_failed: 500,
};

/** A backup or restore that could not be done; nothing was created or changed. */
export class BackupException extends AppException {
  constructor(code: BackupErrorCode, message: string) {
    super(code, STATUS_BY_CODE[code], message);
  }
}
