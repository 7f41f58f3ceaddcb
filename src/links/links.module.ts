import { Module } from '@nestjs/common';
import { ActionLinksRepository } from './action-links.repository';
import { ActionLinks } from './action-links.service';

/** Signed, single-use, expiring links for notices (the pages that use them are in LinkPagesModule). */
@Module({
  providers: [ActionLinks, ActionLinksRepository],
  exports: [ActionLinks],
})
export class LinksModule {}
