/**
 * What the mfa-reset plan helper answers (`200 {plan}`) and workflows/mfa-reset acts on.
 * Free of runtime imports so the workflow's inline summary can share the type.
 */
export interface PlannedMethodRemoval {
  /** The method's id, as Graph lists it. */
  id: string;
  /** The ticket's name for the kind, e.g. "Phone", "Authenticator". */
  kind: string;
  /** Per-type DELETE segment: DELETE /users/{id}/authentication/{segment}/{id}. */
  segment: string;
  /** For people: "Phone (mobile, ending 11)", "Authenticator (Miriam iPhone)". Never a full phone number. */
  label: string;
  /** Step name in the outcome, e.g. "remove_method:Phone (mobile, ending 11)". */
  step: string;
}

export interface MfaResetPlan {
  intent: 'mfa-reset';
  user: { id: string; userPrincipalName: string; displayName: string };
  /** The kind the ticket asked for ("All" or one kind). */
  method: string;
  /** Methods to delete, in order: the likely default method last. */
  methods: PlannedMethodRemoval[];
  /** Whether sign-in sessions are revoked afterwards (only when something is removed). */
  revokeSessions: boolean;
  /**
   * A resend of a request whose earlier attempt removed methods but did not sign the user out (the ledger's
   * `previous`): nothing is left to remove, yet the sessions are revoked now.
   */
  revokeForEarlierRemovals?: boolean;
  /** Registered methods the request matched but Graph v1.0 cannot delete (reported, not attempted). */
  notRemovable: Array<{ type: string; id: string }>;
  /** Kinds of every method the user has besides the password (for the message when nothing matches). */
  registered: string[];
  changes: Array<{ step: string; target: string; description: string }>;
  notes: string[];
}
