import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Principal } from '../auth/principal';
import { CLOCK, type Clock } from '../common/clock';
import { localDate } from '../common/time';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TenantContext } from '../tenancy/tenant-context';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportFormat, exportFileName, type PatientExport, sectionCounts, withoutLinks } from './patient-export';
import { patientExportPdf } from './patient-export-pdf';
import { PatientExportRepository } from './patient-export.repository';
import { PATIENT_ID } from './patient-rules';
import { patientNotFound } from './patients.exception';

/** Where an export was asked for: the API, or the profile page's download links. */
export type ExportChannel = 'api' | 'page';

export interface ExportFile {
  readonly fileName: string;
  readonly content: Buffer;
}

/**
 * The patient's right of access: everything the clinic holds about one patient, as JSON or as a
 * printable PDF. The record is read in one statement and the export is written to the audit log
 * (who, whose, which format) in the same transaction: an export that fails leaves no entry, and no
 * export leaves without one.
 */
@Injectable()
export class PatientExportService {
  constructor(
    private readonly records: PatientExportRepository,
    private readonly audit: AuditService,
    private readonly context: TenantContext,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The export document. Another clinic's patient, like an unknown id, is `404 patient_not_found`. */
  async export(actor: Principal, rawId: string, format: ExportFormat, via: ExportChannel, ip: string | undefined): Promise<PatientExport> {
    if (!PATIENT_ID.test(rawId)) throw patientNotFound();
    const record = await this.records.read(rawId);
    if (!record) throw patientNotFound();
    const tenant = this.context.tenant;
    const document: PatientExport = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: this.clock.now().toISOString(),
      exportedBy: { id: actor.userId, name: actor.fullName },
      clinic: { name: tenant.displayName, timeZone: tenant.timeZone, currency: tenant.currency },
      ...record,
      notices: record.notices.map((n) => ({ ...n, body: withoutLinks(n.body) })),
    };
    await this.audit.record({
      action: 'patient.exported',
      actorId: actor.userId,
      entity: 'patient',
      entityId: record.patient.id,
      details: { fileNumber: record.patient.fileNumber, format, via, records: sectionCounts(record) },
      ip,
    });
    return document;
  }

  /** The JSON download (`patient-000123-2026-11-23.json`), indented for people who open it. */
  async json(actor: Principal, rawId: string, ip: string | undefined): Promise<ExportFile> {
    const document = await this.export(actor, rawId, 'json', 'page', ip);
    return { fileName: this.fileName(document, 'json'), content: Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8') };
  }

  /** The printable PDF in the reader's language. */
  async pdf(actor: Principal, rawId: string, ip: string | undefined): Promise<ExportFile> {
    const document = await this.export(actor, rawId, 'pdf', 'page', ip);
    // uncompressed under test, so a test can read what it draws
    const content = await patientExportPdf(document, { compress: this.config.nodeEnv !== 'test' });
    return { fileName: this.fileName(document, 'pdf'), content };
  }

  private fileName(document: PatientExport, format: ExportFormat): string {
    return exportFileName(document.patient.fileNumber, localDate(new Date(document.exportedAt), document.clinic.timeZone), format);
  }
}
