/** One benchmark result and the table every benchmark prints. */
export interface Row {
  name: string;
  baseline: string;
  ours: string;
  /** ours ÷ baseline for a time (lower is better), baseline ÷ ours never: say which in the target. */
  ratio: number | null;
  target: string;
  pass: boolean;
}

export function table(rows: Row[]): string {
  const header = '| benchmark | baseline | ours | ratio | target | result |\n|---|---|---|---|---|---|';
  const line = (r: Row) => `| ${r.name} | ${r.baseline} | ${r.ours} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`} | ${r.target} | ${r.pass ? 'pass' : 'FAIL'} |`;
  return [header, ...rows.map(line)].join('\n');
}
