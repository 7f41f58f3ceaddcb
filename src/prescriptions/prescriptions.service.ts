import { Inject, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { TenantContext } from '../tenancy/tenant-context';
import type { PaperSize, PrescriptionSheet } from './prescription';
import { prescriptionPdf } from './prescription-pdf';
import { prescriptionNotFound } from './prescriptions.exception';
import { PrescriptionsRepository } from './prescriptions.repository';
import { ID_PATTERN as ID } from '../common/validation/ids';
import { ageOn } from '../patients/patient-rules';


/** A completed visit's prescription, for the print page and the PDF. */
@Injectable()
export class PrescriptionsService {
  constructor(
    private readonly context: TenantContext,
    private readonly repository: PrescriptionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 404 `prescription_not_found` for an unknown id, a visit not completed, or one without medication —
   * and, with `patientId` (the portal), for another patient's visit.
   */
  async sheet(appointmentId: string, scope: { patientId?: string } = {}): Promise<PrescriptionSheet> {
    if (!ID.test(appointmentId)) throw prescriptionNotFound();
    const visit = await this.repository.completedVisit(appointmentId, scope.patientId);
    if (!visit) throw prescriptionNotFound();
    const lines = await this.repository.lines(visit.consultationId);
    if (lines.length === 0) throw prescriptionNotFound();
    const tenant = this.context.tenant;
    const at = DateTime.fromJSDate(visit.startsAt, { zone: tenant.timeZone });
    const age = ageOn(visit.dateOfBirth, at.toISODate()!);
    return {
      appointmentId: visit.appointmentId,
      clinicName: tenant.displayName,
      doctorName: visit.doctorName,
      specialty: visit.specialty,
      date: at.toISODate()!,
      time: at.toFormat('HH:mm'),
      patientName: visit.patientName,
      fileNumber: visit.fileNumber,
      age: Number.isFinite(age) && age >= 0 ? age : null,
      diagnosis: visit.diagnosis || null,
      lines: lines.map((line) => ({ ...line, position: Number(line.position) })),
    };
  }

  async pdf(appointmentId: string, size: PaperSize, scope: { patientId?: string } = {}): Promise<{ fileName: string; content: Buffer }> {
    const sheet = await this.sheet(appointmentId, scope);
    // Uncompressed under test, so a test can read the drawing instructions.
    const content = await prescriptionPdf(sheet, size, { compress: this.config.nodeEnv !== 'test' });
    return { fileName: `prescription-${sheet.fileNumber}-${sheet.date}.pdf`, content };
  }
}
