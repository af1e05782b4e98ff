/** Where messages go: passed in, so the Action, the terminal and tests each supply their own. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Messages to a stream (stderr by default, so stdout stays for results). */
export function streamLogger(stream: NodeJS.WritableStream = process.stderr): Logger {
  return {
    info: (message) => stream.write(`${message}\n`),
    warn: (message) => stream.write(`warning: ${message}\n`),
    error: (message) => stream.write(`error: ${message}\n`),
  };
}

/** Keeps every message, for tests. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (message) => lines.push(message),
    warn: (message) => lines.push(`warning: ${message}`),
    error: (message) => lines.push(`error: ${message}`),
  };
}
