/** Action names of the router (workflows/thread-webhook) that inline code reads. */
export const ROUTER_ACTIONS = {
  validate: 'Validate_payload',
  claim: 'Claim_request',
  decideRoute: 'Decide_route',
  statusLink: 'Create_status_link',
  respondAccepted: 'Respond_accepted',
  buildResponse: 'Build_response',
  notificationContext: 'Compose_notification_context',
  customerContext: 'Compose_customer_context',
} as const;
