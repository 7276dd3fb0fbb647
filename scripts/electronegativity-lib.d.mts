// Types for scripts/electronegativity-lib.mjs (imported by electron/build/__tests__/electronegativity-gate.test.ts).
export declare const CSV_HEADER: string;
export declare const SEVERITIES: readonly string[];
export interface Issue {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  column: number;
  sample: string | null;
  description: string;
}
export interface Finding {
  check: string;
  severity: string;
  confidence?: string;
  file: string;
  line?: number;
  sample?: string;
  description?: string;
}
export interface AcceptedEntry {
  check: string;
  file: string;
  justification: string;
  re: RegExp;
}
export declare function csvField(value: unknown): string;
export declare function toCsv(issues: Issue[]): string;
export declare function parseCsvRows(text: string): string[][];
export declare function parseFindings(csvText: string): Array<Required<Finding>>;
export declare function globToRegExp(pattern: string): RegExp;
export declare function parseAccepted(json: unknown): AcceptedEntry[];
export declare function gate<F extends Finding>(
  findings: F[],
  accepted: AcceptedEntry[],
): { results: Array<F & { status: string; justification: string | null }>; failed: Array<F & { status: string }>; unused: AcceptedEntry[] };
export declare function table(rows: Array<Record<string, unknown>>, columns: string[]): string;
