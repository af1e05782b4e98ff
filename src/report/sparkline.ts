/**
 * A row of block characters, one per value, on a shared scale so two rows can be compared by
 * eye. Missing values (blocks with too few requests) are shown as a middle dot.
 */
const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
const MISSING = '·';

export interface SparkScale {
  min: number;
  max: number;
}

/** The range covering every present value of every series. */
export function sharedScale(series: ReadonlyArray<ReadonlyArray<number | null>>): SparkScale | null {
  const values = series.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length === 0) return null;
  return { min: Math.min(...values), max: Math.max(...values) };
}

export function sparkline(values: ReadonlyArray<number | null>, scale: SparkScale): string {
  const span = scale.max - scale.min;
  return values
    .map((value) => {
      if (value === null || !Number.isFinite(value)) return MISSING;
      if (span === 0) return BARS[3];
      const index = Math.round(((value - scale.min) / span) * (BARS.length - 1));
      return BARS[Math.min(BARS.length - 1, Math.max(0, index))];
    })
    .join('');
}
