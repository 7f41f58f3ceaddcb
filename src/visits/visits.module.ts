import { Module } from '@nestjs/common';

/** The visit record: completing a visit (consultation, prescriptions, requirements, invoice) and amendments. */
@Module({})
export class VisitsModule {}
