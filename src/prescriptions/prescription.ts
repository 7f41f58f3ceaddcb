/** What a printed prescription shows: everything already formatted for the clinic's zone. */
export interface PrescriptionSheet {
  readonly appointmentId: string;
  readonly clinicName: string;
  readonly doctorName: string;
  readonly specialty: string | null;
  /** The visit's local date (YYYY-MM-DD) and time (HH:MM) in the clinic's zone. */
  readonly date: string;
  readonly time: string;
  readonly patientName: string;
  readonly fileNumber: string;
  /** Whole years on the visit's date. */
  readonly age: number | null;
  readonly diagnosis: string | null;
  readonly lines: PrescriptionLine[];
}

export interface PrescriptionLine {
  readonly position: number;
  readonly medicationName: string;
  readonly dosage: string;
  readonly duration: string;
  readonly instructions: string;
}

export const PAPER_SIZES = ['a5', 'a4'] as const;
export type PaperSize = (typeof PAPER_SIZES)[number];
