/**
 * Milliseconds since the Unix epoch of an RFC 3339 time, its fraction kept to the nanosecond
 * (k6 writes `2017-05-09T14:34:45.239531499+02:00`; Date.parse would drop what is past the
 * millisecond). NaN when it is not such a time.
 */
export function rfc3339Ms(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) return Number.NaN;
  const whole = Date.parse(`${match[1]}${match[3]}`);
  const fraction = match[2] ? Number(`0${match[2]}`) * 1000 : 0;
  return whole + fraction;
}
