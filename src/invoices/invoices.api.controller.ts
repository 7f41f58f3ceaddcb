import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { InvoiceListQueryDto, PaymentDto, VoidDto } from './dto/invoice.dto';
import { InvoicesService } from './invoices.service';

/** `/api/v1/invoices`: list, one invoice, pay, void (the owner) — the same rules and errors as the pages. */
@Controller('api/v1/invoices')
@Roles('admin', 'reception')
export class InvoicesApiController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  list(@Query() query: InvoiceListQueryDto) {
    return this.invoices.list(query);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.invoices.get(id);
  }

  @Post(':id/payments')
  pay(@Param('id') id: string, @Body() body: PaymentDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.invoices.pay(actor, id, body, req.ip);
  }

  @Post(':id/void')
  @HttpCode(200)
  @Roles('admin')
  void(@Param('id') id: string, @Body() body: VoidDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.invoices.void(actor, id, body.reason, req.ip);
  }
}
