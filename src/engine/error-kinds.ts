import type { ErrorKind } from '../record/run-record-types.js';

const BY_CODE: Record<string, ErrorKind> = {
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  ETIMEDOUT: 'timeout',
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NONAME: 'dns',
};

/** Sorts a transport error into the kinds the run record counts. Never throws. */
export function classifyError(error: unknown): ErrorKind {
  const code = errorCode(error);
  if (code !== undefined) {
    const known = BY_CODE[code];
    if (known) return known;
    if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT')) return 'tls';
  }
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause !== undefined && cause !== error) return classifyError(cause);
  return 'other';
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
