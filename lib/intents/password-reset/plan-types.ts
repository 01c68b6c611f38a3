/**
 * What the password-reset plan helper answers (`200 {plan}`) and the workflow acts on.
 * Kept free of runtime imports so the workflow's inline code can share the type.
 */
export interface PasswordResetPlan {
  intent: 'password-reset';
  user: {
    id: string;
    userPrincipalName: string;
    displayName: string;
    accountEnabled: boolean;
  };
  forceChangeOnLogin: boolean;
  /** Where the new password comes from; the password itself never appears in a plan. */
  passwordSource: 'supplied' | 'generated';
  /** The writes the workflow will make, in order. */
  changes: Array<{ step: string; target: string; description: string }>;
  /** Things the technician should know that do not stop the reset (e.g. the account is disabled). */
  notes: string[];
}
