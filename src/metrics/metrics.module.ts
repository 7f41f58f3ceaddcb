import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsTokenGuard } from './metrics-token.guard';
import { MetricsService } from './metrics.service';
import { RequestMetricsMiddleware } from './request-metrics.middleware';

/**
 * Prometheus metrics at `/metrics` (Bearer METRICS_TOKEN). Global: the cache, the jobs and the
 * outbox sender report to it wherever they are. One registry per app instance.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, MetricsTokenGuard, RequestMetricsMiddleware],
  exports: [MetricsService, RequestMetricsMiddleware],
})
export class MetricsModule {}
