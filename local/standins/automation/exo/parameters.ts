import { ExchangeCmdletError } from '../exchange-errors.js';

/**
 * The bound parameters a stub cmdlet posts to /cmdlet (docs/exchange-stand-in.md, "Cmdlet protocol"):
 * switches as booleans, hashtables as objects, arrays as arrays. Names are matched case-insensitively, as
 * PowerShell binds them; PowerShell's common parameters are ignored; a real parameter the stand-in does
 * not model fails loudly instead of being dropped.
 */

const COMMON_PARAMETERS = new Set(
  [
    'Confirm', 'WhatIf', 'Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ProgressAction',
    'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable',
  ].map((p) => p.toLowerCase()),
);

export function notModelled(cmdlet: string, what: string): ExchangeCmdletError {
  return new ExchangeCmdletError(`The Exchange stand-in does not model ${cmdlet} ${what}.`, 'System.NotImplementedException', {
    category: 'NotImplemented',
    errorId: `NotModelled,${cmdlet}`,
  });
}

function invalidArgument(cmdlet: string, message: string): ExchangeCmdletError {
  return new ExchangeCmdletError(message, 'System.Management.Automation.ParameterBindingException', {
    category: 'InvalidArgument',
    errorId: `ParameterArgumentValidationError,${cmdlet}`,
  });
}

export class CmdletParameters {
  private readonly values = new Map<string, unknown>();

  constructor(
    readonly cmdlet: string,
    raw: Record<string, unknown>,
    modelled: readonly string[],
  ) {
    const known = new Map(modelled.map((m) => [m.toLowerCase(), m]));
    for (const [name, value] of Object.entries(raw)) {
      const key = name.toLowerCase();
      if (COMMON_PARAMETERS.has(key)) continue;
      const canonical = known.get(key);
      if (!canonical) throw notModelled(cmdlet, `-${name}`);
      this.values.set(canonical, value);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** A string parameter; `required` mirrors a mandatory parameter the stub would have prompted for. */
  string(name: string, required: true): string;
  string(name: string, required?: false): string | undefined;
  string(name: string, required = false): string | undefined {
    const v = this.values.get(name);
    if (v === undefined || v === null) {
      if (required) throw invalidArgument(this.cmdlet, `Cannot bind argument to parameter '${name}' because it is null.`);
      return undefined;
    }
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw invalidArgument(this.cmdlet, `Cannot convert the value of parameter '${name}' to a string.`);
  }

  /** A string parameter that may be set to $null (e.g. -ForwardingSmtpAddress $null clears forwarding). */
  nullableString(name: string): string | null | undefined {
    if (!this.values.has(name)) return undefined;
    return this.values.get(name) === null ? null : this.string(name);
  }

  /** A [bool] parameter or a switch (the stub sends both as booleans). */
  bool(name: string): boolean | undefined {
    const v = this.values.get(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (typeof v === 'number') return v !== 0;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    throw invalidArgument(
      this.cmdlet,
      `Cannot process argument transformation on parameter '${name}'. Cannot convert value "System.String" to type "System.Boolean". ` +
        'Boolean parameters accept only Boolean values and numbers, such as $True, $False, 1 or 0.',
    );
  }

  /** A multivalued parameter: one value or an array of values. */
  list(name: string): string[] | undefined {
    const v = this.values.get(name);
    if (v === undefined || v === null) return undefined;
    const items = Array.isArray(v) ? v : [v];
    return items.map((i) => String(i));
  }

  /**
   * A multivalued property as Set-* cmdlets take it: a list (replaces the value) or the hashtable form
   * @{Add=...; Remove=...} (https://learn.microsoft.com/exchange/modifying-multivalued-properties-exchange-2013-help).
   */
  multiValued(name: string): { Add?: string[]; Remove?: string[] } | string[] | undefined {
    const v = this.values.get(name);
    if (v === undefined) return undefined;
    if (v === null) return [];
    if (typeof v === 'object' && !Array.isArray(v)) {
      const out: { Add?: string[]; Remove?: string[] } = {};
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        const values = (Array.isArray(item) ? item : [item]).map((i) => String(i));
        if (k.toLowerCase() === 'add') out.Add = values;
        else if (k.toLowerCase() === 'remove') out.Remove = values;
        else throw notModelled(this.cmdlet, `-${name} @{${k}=...}`);
      }
      return out;
    }
    return this.list(name);
  }
}
