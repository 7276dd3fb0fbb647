// Types for scripts/check-webprefs-lib.mjs (imported by electron/build/__tests__/check-webprefs.test.ts).
export declare const WINDOW_CLASSES: readonly string[];
export declare const SECURE_FACTORY: string;
export declare const REQUIRED: Readonly<Record<string, boolean>>;
export declare const FORBIDDEN_TRUE: readonly string[];
export declare const FORBIDDEN_PRESENT: readonly string[];
export interface SourceText {
  fileName: string;
  text: string;
}
export interface Violation {
  file: string;
  line: number;
  message: string;
}
export declare function checkWebPreferences(input: { files: SourceText[]; projectDir?: string }): {
  constructions: number;
  factories: number;
  violations: Violation[];
};
export declare function collectTsFiles(dir: string): SourceText[];
export declare function formatViolation(v: Violation): string;
