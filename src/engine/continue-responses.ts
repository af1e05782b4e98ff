import type { Socket } from 'node:net';
import { buildConnector } from 'undici';

/**
 * RFC 9110 (15.2) says a client must accept a `100 Continue` it did not ask for and read the final
 * response after it. undici's HTTP/1.1 parser instead destroys the socket ("bad response"), which
 * would count a healthy response as a `reset`; other 1xx (102, 103) it passes on and the pool
 * skips. So the pool's sockets are read through this filter: while a request waits for its
 * status line, whole `HTTP/1.x 100 ...\r\n...\r\n\r\n` heads at the start of what arrives are
 * dropped before undici sees them. Without pipelining nothing else can come first.
 */

/** The longest 100 head that is skipped; a longer one is left to undici, which refuses it. */
const MAX_HEAD_BYTES = 8 * 1024;
const STATUS_PREFIX = 'HTTP/1.x 100';
const CONTINUE_HEAD = /^HTTP\/1\.[01] 100(?: [^\r\n]*)?\r\n(?:[^\r\n]+\r\n)*\r\n/;

export type Connector = buildConnector.connector;

/** `connector` (undici's default when undefined) with every socket read through the filter. */
export function skippingContinue(connector: Connector | undefined, awaitingStatus: () => boolean): Connector {
  const connect = connector ?? buildConnector({});
  return (options, callback) =>
    connect(options, (...args) => {
      const [error, socket] = args;
      if (error === null) skipContinueResponses(socket, awaitingStatus);
      callback(...args);
    });
}

/**
 * Wraps `socket.read()` (undici reads the socket with it on 'readable'). A possible head that has
 * not fully arrived is held back until it has, or until it proves to be something else.
 */
export function skipContinueResponses(socket: Socket, awaitingStatus: () => boolean): void {
  const read = socket.read.bind(socket);
  let held: Buffer | undefined;
  socket.read = (size?: number): Buffer | null => {
    if (size === 0 || (held === undefined && !awaitingStatus())) return read(size) as Buffer | null;
    const fresh = read(size) as Buffer | null;
    let chunk = held === undefined ? fresh : fresh === null ? held : Buffer.concat([held, fresh]);
    held = undefined;
    while (chunk !== null && chunk.length > 0) {
      const length = continueHeadLength(chunk);
      if (length === 0) return chunk;
      if (length < 0) {
        held = chunk;
        return null;
      }
      chunk = chunk.subarray(length);
    }
    return null;
  };
}

/**
 * The length of the `100 Continue` head that `data` starts with; 0 when it does not start with
 * one; -1 when it may, but has not fully arrived yet.
 */
export function continueHeadLength(data: Buffer): number {
  // The hot path: every response's first bytes come here; any status but 100 is told at once.
  if (data.length > STATUS_PREFIX.length && (data[9] !== 0x31 || data[10] !== 0x30 || data[11] !== 0x30)) return 0;
  const text = data.toString('latin1', 0, Math.min(data.length, MAX_HEAD_BYTES + 1));
  const head = CONTINUE_HEAD.exec(text);
  if (head) return head[0].length;
  if (!couldStartContinue(text)) return 0;
  return text.length > MAX_HEAD_BYTES || text.includes('\r\n\r\n') ? 0 : -1;
}

/** Whether `text` is, or begins with, `HTTP/1.0 100` or `HTTP/1.1 100` (as far as it goes). */
function couldStartContinue(text: string): boolean {
  const n = Math.min(text.length, STATUS_PREFIX.length);
  for (let i = 0; i < n; i++) {
    const want = STATUS_PREFIX[i] as string;
    const got = text[i] as string;
    if (want === 'x' ? got !== '0' && got !== '1' : got !== want) return false;
  }
  return text.length <= STATUS_PREFIX.length || text[STATUS_PREFIX.length] === ' ' || text[STATUS_PREFIX.length] === '\r';
}
