import { randomBytes } from 'node:crypto';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/app-config';

/** One notice on its way out. */
export interface OutgoingMail {
  readonly tenantId: string;
  readonly tenantSlug: string;
  readonly dedupeKey: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Where notices go: an SMTP server, or the development mailbox. */
export interface MailTransport {
  /** For the outbox page and the logs. */
  readonly description: string;
  /**
   * Whether sending the same notice again after a crash still reaches the recipient once. Then a
   * row a crash left in `sending` is simply tried again; otherwise it is `uncertain` until a person decides.
   */
  readonly resendable: boolean;
  /** Delivers (or throws); resolves to where it went: a file, or the server's message id. */
  send(mail: OutgoingMail): Promise<string>;
  close(): Promise<void>;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

export function createMailTransport(config: Pick<AppConfig, 'smtpUrl' | 'mailFrom' | 'dataDir' | 'baseDomain'>): MailTransport {
  return config.smtpUrl ? new SmtpTransport(config.smtpUrl, config.mailFrom, config.baseDomain) : new DevMailbox(join(config.dataDir, 'outbox'), config.mailFrom);
}

/** A file name from a dedupe key: `no_show:42` → `no_show-42`. */
const fileSafe = (key: string) => key.replace(/[^A-Za-z0-9_.-]+/g, '-');

/**
 * The development mailbox: each notice is an RFC 822 `.eml` file under `<dir>/<clinic>--<tenant id>/`,
 * named after its dedupe key and created only if absent (written aside, then hard-linked into place,
 * which fails when the name exists), so sending a notice twice leaves one message: it is resendable.
 */
export class DevMailbox implements MailTransport {
  readonly resendable = true;
  readonly description: string;
  private readonly composer: Transporter;

  constructor(
    readonly dir: string,
    private readonly from: string,
  ) {
    this.description = `development mailbox (${dir})`;
    this.composer = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  folderOf(mail: Pick<OutgoingMail, 'tenantId' | 'tenantSlug'>): string {
    // the tenant id keeps a clinic dropped and created again under the same slug out of its predecessor's mail
    return join(this.dir, `${mail.tenantSlug}--${mail.tenantId}`);
  }

  async send(mail: OutgoingMail): Promise<string> {
    const folder = this.folderOf(mail);
    await mkdir(folder, { recursive: true });
    const file = join(folder, `${fileSafe(mail.dedupeKey)}.eml`);
    const info = (await this.composer.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, headers: { 'X-Clinic-Notice': mail.dedupeKey } })) as { message: Buffer };
    const draft = join(folder, `.${fileSafe(mail.dedupeKey)}.${randomBytes(4).toString('hex')}.tmp`);
    await writeFile(draft, info.message);
    try {
      await link(draft, file);
    } catch (error) {
      // delivered by an earlier attempt that stopped before it was recorded: still one message
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(draft).catch(() => undefined);
    }
    return file;
  }

  async close(): Promise<void> {
    this.composer.close();
  }
}

/**
 * Real e-mail through an SMTP server (nodemailer). Each notice carries a Message-ID made from its
 * clinic and dedupe key, but SMTP has no idempotency: a notice whose attempt was cut short is not
 * resendable by itself.
 */
export class SmtpTransport implements MailTransport {
  readonly resendable = false;
  readonly description: string;
  private readonly transporter: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    private readonly domain: string,
  ) {
    const parsed = new URL(url);
    this.description = `SMTP ${parsed.hostname}:${parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)}`;
    this.transporter = createTransport(url);
  }

  async send(mail: OutgoingMail): Promise<string> {
    const info = (await this.transporter.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      messageId: `<${fileSafe(mail.dedupeKey)}.${mail.tenantId}@${this.domain}>`,
      headers: { 'X-Clinic-Notice': mail.dedupeKey },
    })) as { messageId: string };
    return info.messageId;
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
