import { Module } from '@nestjs/common';

/** The clinic's patients: registration, search, profiles, portal identities. */
@Module({})
export class PatientsModule {}
