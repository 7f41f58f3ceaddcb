import { AppException } from '../common/errors/app-exception';

export type MetricsErrorCode = 'metrics_disabled' | 'metrics_token_required';

const STATUS_BY_CODE: Record<MetricsErrorCode, number> = {
  // no METRICS_TOKEN: the endpoint does not exist, like any unknown page
  metrics_disabled: 404,
  metrics_token_required: 401,
};

/** A scrape refused: no metric is read, nothing about them is said. */
export class MetricsException extends AppException {
  constructor(code: MetricsErrorCode, message: string) {
    super(code, STATUS_BY_CODE[code], message);
  }
}
