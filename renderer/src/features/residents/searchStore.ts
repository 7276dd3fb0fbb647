import { create } from 'zustand';
import type { ResidentSummary } from '../../../../shared/ipc/contract';

interface SearchState {
  kana: string;
  birthDate: string;
  atenaNo: string;
  results: ResidentSummary[] | null;
  truncated: boolean;
  set(p: Partial<Pick<SearchState, 'kana' | 'birthDate' | 'atenaNo'>>): void;
  setResults(results: ResidentSummary[] | null, truncated: boolean): void;
  clear(): void;
}

/** The search form and results survive opening a resident and coming back; 業務終了/logout clears them. */
export const useSearch = create<SearchState>((set) => ({
  kana: '',
  birthDate: '',
  atenaNo: '',
  results: null,
  truncated: false,
  set: (p) => set(p),
  setResults: (results, truncated) => set({ results, truncated }),
  clear: () => set({ kana: '', birthDate: '', atenaNo: '', results: null, truncated: false }),
}));

export function clearSearch(): void {
  useSearch.getState().clear();
}
