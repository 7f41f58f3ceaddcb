import { Module } from '@nestjs/common';

/** The printable prescription: a print layout and a PDF. */
@Module({})
export class PrescriptionsModule {}
