import { create } from 'zustand';
import { useApp } from '../../lib/store';
import { EMPTY_FILTER, type FilterDraft } from './format';

interface AuditFilterState {
  /** The filter last applied on the review screen; the export request starts from it. */
  filter: FilterDraft;
  setFilter(f: FilterDraft): void;
  clear(): void;
}

export const useAuditFilter = create<AuditFilterState>((set) => ({
  filter: EMPTY_FILTER,
  setFilter: (filter) => set({ filter }),
  clear: () => set({ filter: EMPTY_FILTER }),
}));

// A 宛名番号 or a staff ID typed by one supervisor is not left for the next person: cleared when the session ends.
useApp.subscribe((s, prev) => {
  if (prev.session && !s.session) useAuditFilter.getState().clear();
});
