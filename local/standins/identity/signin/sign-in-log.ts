/**
 * What the sign-in stand-in was asked for, so tests can see which tenant each token request named. Never the
 * assertion or the token: only who asked, where, for what, and the answer's AADSTS code.
 */
export interface SignInLogEntry {
  seq: number;
  time: string;
  /** The `{tenant}` of the path, as sent (id or domain). */
  tenant: string;
  /** The resolved tenant id, when the tenant exists. */
  tenantId?: string;
  clientId?: string;
  scope?: string;
  status: number;
  /** AADSTS code of a refusal. */
  errorCode?: number;
}

export class SignInLog {
  private entries: SignInLogEntry[] = [];
  private seq = 0;

  add(entry: Omit<SignInLogEntry, 'seq' | 'time'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, time: new Date().toISOString(), ...entry });
    if (this.entries.length > 1000) this.entries.shift();
  }

  list(): SignInLogEntry[] {
    return structuredClone(this.entries);
  }

  clear(): void {
    this.entries = [];
  }
}
