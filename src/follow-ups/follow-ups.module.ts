import { Module } from '@nestjs/common';

/** Follow-ups a doctor asks for, until reception books or dismisses them. */
@Module({})
export class FollowUpsModule {}
