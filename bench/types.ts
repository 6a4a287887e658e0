/** One measured quantity. Ratios are measured within one run so machine noise cancels out. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

export type BenchSuite = () => Promise<BenchResult[]>;
