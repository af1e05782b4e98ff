/**
 * The fields of one CSV line (RFC 4180: fields in double quotes may hold commas and doubled
 * quotes). Undefined when a quoted field is left open: the line was cut, or its field runs on to
 * the next line, which these results formats never write.
 */
export function csvFields(line: string, separator = ','): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let value = '';
      let at = i + 1;
      for (;;) {
        const close = line.indexOf('"', at);
        if (close < 0) return undefined;
        value += line.slice(at, close);
        if (line.charCodeAt(close + 1) === 34) {
          value += '"';
          at = close + 2;
          continue;
        }
        i = close + 1;
        break;
      }
      fields.push(value);
      if (i >= line.length) return fields;
      if (line[i] !== separator) return undefined;
      i++;
    } else {
      const next = line.indexOf(separator, i);
      if (next < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, next));
      i = next + 1;
    }
  }
}
