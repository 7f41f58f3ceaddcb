import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiRefusals } from '../common/openapi/api-refusals';
import { Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { InvoiceListQueryDto, PaymentDto, VoidDto } from './dto/invoice.dto';
import { InvoicesService } from './invoices.service';

/** `/api/v1/invoices`: list, one invoice, pay, void (the owner) — the same rules and errors as the pages. */
@ApiTags('invoices')
@ApiBearerAuth()
@Controller('api/v1/invoices')
@Roles('admin', 'reception')
export class InvoicesApiController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  @ApiOperation({ summary: 'Invoices matching the filter, 50 a page, with the totals of all that match' })
  list(@Query() query: InvoiceListQueryDto) {
    return this.invoices.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One invoice with its payments and balance' })
  get(@Param('id') id: string) {
    return this.invoices.get(id);
  }

  @Post(':id/payments')
  @ApiOperation({ summary: 'Records a payment (the whole balance by default, or part of it)' })
  @ApiRefusals({ 409: 'The invoice is void (`invoice_void`) or already paid in full (`invoice_paid`).' })
  pay(@Param('id') id: string, @Body() body: PaymentDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.invoices.pay(actor, id, body, req.ip);
  }

  @Post(':id/void')
  @HttpCode(200)
  @ApiOperation({ summary: 'Voids an invoice, with a reason (clinic owners)' })
  @ApiRefusals({ 409: 'It is already void (`invoice_void`).' })
  @Roles('admin')
  void(@Param('id') id: string, @Body() body: VoidDto, @CurrentUser() actor: Principal, @Req() req: Request) {
    return this.invoices.void(actor, id, body.reason, req.ip);
  }
}
