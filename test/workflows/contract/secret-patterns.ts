import { isRecord } from './json.js';

/**
 * Heuristics for secrets written into source: a literal under a password-like key, and the shapes of
 * credentials that leak into JSON (Authorization headers, SAS signatures, storage keys, JWTs, long
 * base64 blobs). A value built by an expression (`@...`) is not a literal and never matches.
 */
export interface SecretFinding {
  /** JSON path, e.g. "inputs.headers.Authorization". */
  path: string;
  reason: string;
}

const SECRET_KEY = /(?:password|passwd|^pwd|secret|apikey|api_key|accesstoken|access_token|^token|accountkey|sharedaccesskey)$/i;

const TEXT_PATTERNS: Array<{ reason: string; pattern: RegExp }> = [
  // A quoted key ("password": "x") or an object-literal key ({password: 'x'}); prose that merely ends in "password" does not match.
  {
    reason: 'a literal password in embedded JSON',
    pattern: /(?:(["'])(?:password|passwd|pwd|client_?secret)\1|[{,]\s*(?:password|passwd|pwd|client_?secret))\s*:\s*["'](?!@)[^"'\s][^"']*["']/i,
  },
  { reason: 'a password in a connection string', pattern: /(?:^|[;?&\s])(?:password|pwd)=(?!@)[^;&\s"']+/i },
  { reason: 'a literal Bearer token', pattern: /\bBearer\s+(?!@)[A-Za-z0-9\-._~+/]{16,}=*/ },
  { reason: 'a SAS signature (sig=)', pattern: /\bsig=(?!@)[A-Za-z0-9%+/=]{8,}/i },
  { reason: 'a storage AccountKey=', pattern: /AccountKey=(?!@)[^;"'\s]{8,}/i },
  { reason: 'a SharedAccessKey=', pattern: /SharedAccessKey=(?!@)[^;"'\s]{8,}/i },
  { reason: 'a JWT', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}/ },
];

/** A run of the alphabet itself ("ABCDEFGH..."), as in bundled base64 or hex encoders. */
const ALPHABET_RUN = /ABCDEFGH|abcdefgh|01234567/;

/** 40+ base64 characters mixing upper case, lower case and digits: keys and tokens, not words, paths or alphabets. */
function longBase64(text: string): boolean {
  for (const m of text.matchAll(/[A-Za-z0-9+/]{40,}={0,2}/g)) {
    const run = m[0];
    if (/[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run) && !run.includes('//') && !ALPHABET_RUN.test(run)) return true;
  }
  return false;
}

export function findSecretsInText(text: string): string[] {
  const reasons = TEXT_PATTERNS.filter((p) => p.pattern.test(text)).map((p) => p.reason);
  if (longBase64(text)) reasons.push('a long base64 string (key or token?)');
  return reasons;
}

function isLiteral(value: string): boolean {
  const t = value.trim();
  return t !== '' && !t.startsWith('@');
}

export function findLiteralSecrets(value: unknown, path = ''): SecretFinding[] {
  const found: SecretFinding[] = [];
  if (typeof value === 'string') {
    for (const reason of findSecretsInText(value)) found.push({ path, reason });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => found.push(...findLiteralSecrets(v, `${path}[${i}]`)));
  } else if (isRecord(value)) {
    for (const [key, child] of Object.entries(value)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (SECRET_KEY.test(key) && typeof child === 'string' && isLiteral(child)) found.push({ path: childPath, reason: `a literal value under "${key}"` });
      found.push(...findLiteralSecrets(child, childPath));
    }
  }
  return found;
}
