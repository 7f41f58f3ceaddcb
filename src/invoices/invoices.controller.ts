import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RendersForm, Roles } from '../auth/access.decorator';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Principal } from '../auth/principal';
import { redirectAfterWrite, render, renderPage } from '../common/http/render';
import { t } from '../i18n/i18n';
import { CloseOutQueryDto, InvoiceListQueryDto, PaymentDto, VoidDto } from './dto/invoice.dto';
import { InvoicePages } from './invoice-pages.service';
import { InvoicesService } from './invoices.service';

const LAYOUT = 'layouts/staff';
const PRINT_LAYOUT = 'prescriptions/layout';
const INVOICE_FORM = { view: 'invoices/show', layout: LAYOUT, fragment: 'invoices/_invoice', model: InvoicePages } as const;

/** Billing for the front desk and the owner: the invoice list, taking payments, voiding (owner), receipts, the day's close-out. */
@Controller('invoices')
@Roles('admin', 'reception')
export class InvoicesController {
  constructor(
    private readonly pages: InvoicePages,
    private readonly invoices: InvoicesService,
  ) {}

  @Get()
  async index(@Query() query: InvoiceListQueryDto, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'invoices/index', 'invoices/_list', await this.pages.index(query));
  }

  /** The day's payments per method and per doctor, printable. */
  @Get('close-out')
  async closeOut(@Query() query: CloseOutQueryDto, @Res() res: Response) {
    await render(res, 'invoices/close-out', { ...(await this.pages.closeOut(query.date)), layout: PRINT_LAYOUT });
  }

  @Get(':id')
  async show(@Param('id') id: string, @Query('done') done: unknown, @Req() req: Request, @Res() res: Response) {
    await renderPage(req, res, 'invoices/show', 'invoices/_invoice', await this.pages.invoice(id, typeof done === 'string' ? done : undefined));
  }

  @Post(':id/payments')
  @RendersForm(INVOICE_FORM)
  async pay(@Param('id') id: string, @Body() form: PaymentDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.invoices.pay(actor, id, form, req.ip);
    redirectAfterWrite(req, res, `/invoices/${id}?done=paid`);
  }

  @Post(':id/void')
  @Roles('admin')
  @RendersForm(INVOICE_FORM)
  async void(@Param('id') id: string, @Body() form: VoidDto, @CurrentUser() actor: Principal, @Req() req: Request, @Res() res: Response) {
    await this.invoices.void(actor, id, form.reason, req.ip);
    redirectAfterWrite(req, res, `/invoices/${id}?done=voided`);
  }

  @Get(':id/receipt')
  async receipt(@Param('id') id: string, @Res() res: Response) {
    await render(res, 'invoices/receipt', { receipt: await this.pages.receipt(id), title: t('invoices:receipt.title'), layout: PRINT_LAYOUT });
  }

  @Get(':id/receipt.pdf')
  async receiptPdf(@Param('id') id: string, @Res() res: Response) {
    const { fileName, content } = await this.pages.receiptPdf(id);
    res.status(200).set({ 'Content-Type': 'application/pdf', 'Content-Disposition': `inline; filename="${fileName}"`, 'Cache-Control': 'private, no-store' }).send(content);
  }
}
