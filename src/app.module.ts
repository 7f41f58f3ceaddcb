import { randomUUID } from 'node:crypto';
import { type DynamicModule, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Request } from 'express';
import { ClsMiddleware, ClsModule } from 'nestjs-cls';
import { LoggerModule } from 'nestjs-pino';
import { AppointmentsModule } from './appointments/appointments.module';
import { AuditModule } from './audit/audit.module';
import { AccessGuard } from './auth/access.guard';
import { AuthModule } from './auth/auth.module';
import { ClinicModule } from './clinic/clinic.module';
import { CLOCK, type Clock, systemClock } from './common/clock';
import { CacheModule } from './common/cache/cache.module';
import { AppExceptionFilter } from './common/errors/exception.filter';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source';
import { DoctorsModule } from './doctors/doctors.module';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { HealthController } from './health/health.controller';
import { I18nModule } from './i18n/i18n.module';
import { NavigationModule } from './navigation/navigation.module';
import { PageLocalsInterceptor } from './navigation/page-locals.interceptor';
import { PatientsModule } from './patients/patients.module';
import { PortalModule } from './portal/portal.module';
import { SettingsModule } from './settings/settings.module';
import { ReportsModule } from './reports/reports.module';
import { InvoicesModule } from './invoices/invoices.module';
import { JobsModule } from './jobs/jobs.module';
import { LinkPagesModule } from './links/link-pages.module';
import { MetricsModule } from './metrics/metrics.module';
import { RequestMetricsMiddleware } from './metrics/request-metrics.middleware';
import { NoShowsModule } from './no-shows/no-shows.module';
import { OutboxModule } from './outbox/outbox.module';
import { WaitlistModule } from './waitlist/waitlist.module';
import { PrescriptionsModule } from './prescriptions/prescriptions.module';
import { ScheduleModule } from './schedule/schedule.module';
import { StaffModule } from './staff/staff.module';
import { HostGuard } from './tenancy/host.guard';
import { TenancyModule } from './tenancy/tenancy.module';
import { TenantMiddleware } from './tenancy/tenant.middleware';
import { TenantTransactionInterceptor } from './tenancy/tenant-transaction.interceptor';
import { UsersModule } from './users/users.module';
import { VisitsModule } from './visits/visits.module';

export interface AppModuleExtras {
  readonly imports?: DynamicModule['imports'];
  readonly controllers?: DynamicModule['controllers'];
  /** The time source (tests pass a clock they move by hand). */
  readonly clock?: Clock;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

@Module({})
export class AppModule implements NestModule {
  /** The whole app for one validated config and one database (the embedded one, or DATABASE_URL). */
  static forRoot(config: AppConfig, databaseUrl: string, extra: AppModuleExtras = {}): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        // mounted below, ahead of the tenant middleware, which sets the request's language in it
        ClsModule.forRoot({ global: true, middleware: { mount: false, resolveProxyProviders: false, initializePlugins: false } }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            genReqId: (req, res) => {
              const incoming = req.headers['x-request-id'];
              const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            customProps: (req) => ({ tenant: (req as Request).clinic?.slug }),
            autoLogging: { ignore: (req) => /^\/(healthz|readyz|metrics(?=$|[/?])|static\/)/.test(req.url ?? '') },
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            serializers: {
              req: (req: { id: string; method: string; url: string; headers: Record<string, string> }) => ({
                id: req.id,
                method: req.method,
                url: req.url,
                host: req.headers?.host,
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
        TypeOrmModule.forRoot(dataSourceOptions(config, databaseUrl)),
        CacheModule,
        TenancyModule,
        UsersModule,
        AuditModule,
        AuthModule,
        I18nModule,
        NavigationModule,
        ClinicModule,
        StaffModule,
        PatientsModule,
        DoctorsModule,
        AppointmentsModule,
        VisitsModule,
        ScheduleModule,
        PrescriptionsModule,
        FollowUpsModule,
        SettingsModule,
        ReportsModule,
        InvoicesModule,
        PortalModule,
        OutboxModule,
        NoShowsModule,
        WaitlistModule,
        LinkPagesModule,
        JobsModule,
        MetricsModule,
        ...(extra.imports ?? []),
      ],
      controllers: [HealthController, ...(extra.controllers ?? [])],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: extra.clock ?? systemClock },
        { provide: APP_FILTER, useClass: AppExceptionFilter },
        // in this order: the host decides which routes exist, then who may reach them
        { provide: APP_GUARD, useClass: HostGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useClass: PageLocalsInterceptor },
        { provide: APP_INTERCEPTOR, useClass: TenantTransactionInterceptor },
      ],
      exports: [APP_CONFIG, CLOCK],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    // the request timer first, so requests refused by the tenant middleware (unknown host, suspended clinic) are counted too
    consumer.apply(RequestMetricsMiddleware, ClsMiddleware, TenantMiddleware).forRoutes('*');
  }
}
