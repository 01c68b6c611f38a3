/**
 * The helpers' telemetry events. Each field becomes an Application Insights custom dimension
 * (`customDimensions.intent_name`, `customDimensions.ticket_id`, …; see app-insights-sink.ts), so support
 * queries filter on these snake_case names: rename one and saved queries and alerts stop matching. Every
 * event carries run_id (the Logic Apps run that called the helper); outcomes carry duration_ms. Values
 * may be nested; everything is redacted before it leaves the process.
 */
interface Common {
  /** Logic Apps run id (x-ms-workflow-run-id) or the helper's own request id. */
  run_id: string;
  /** msp mode: the customer (registry id) the request is for, so one deployment's telemetry splits by customer. */
  customer_id?: string;
}

export interface WebhookReceivedEvent extends Common {
  name: 'webhook_received';
  intent_name: string;
  intent_id?: string;
  ticket_id: string;
  contact_name: string;
  contact_email: string;
  company_name: string;
  dry_run?: boolean;
  /** The received body; secret fields are redacted by track() before it is sent anywhere. */
  raw_payload?: unknown;
  /** Allow-listed request headers (Content-Type, User-Agent, X-Request-Id, X-Forwarded-For, X-Thread-Request-Id). */
  raw_headers?: Record<string, string>;
}

export type IntentStatus = 'success' | 'partial_success' | 'failed' | 'skipped' | 'dry_run';

export interface IntentResultEvent extends Common {
  name: 'intent_result';
  intent_name: string;
  intent_id?: string;
  ticket_id: string;
  company_name: string;
  status: IntentStatus;
  duration_ms: number;
  result_summary?: unknown;
  error_message?: string;
  /** AppError code, "UnknownIntent" style names are not used: codes are stable identifiers. */
  error_type?: string;
  http_status?: number;
  step?: string;
  graph_code?: string;
}

export interface IdempotencySkipEvent extends Common {
  name: 'idempotency_skip';
  intent_name: string;
  intent_id?: string;
  ticket_id: string;
  company_name: string;
  dedup_key: string;
  duration_ms: number;
}

export interface NotificationFailureEvent extends Common {
  name: 'notification_failure';
  intent_name: string;
  ticket_id: string;
  notification_error: string;
  duration_ms?: number;
}

export type StepStatus = 'succeeded' | 'failed' | 'skipped';

/** One per step of a helper (resolve_user, claim_idempotency, set_password, ...). */
export interface StepEvent extends Common {
  name: 'step';
  intent_id: string;
  ticket_id?: string;
  step: string;
  status: StepStatus;
  duration_ms: number;
  error_code?: string;
  graph_code?: string;
  upstream_status?: number;
  retries?: number;
}

export type TelemetryEvent =
  | WebhookReceivedEvent
  | IntentResultEvent
  | IdempotencySkipEvent
  | NotificationFailureEvent
  | StepEvent;

export type TelemetryEventName = TelemetryEvent['name'];
