import { useCallback, useRef, useState } from 'react';
import type { ReviewFilterInput } from '../../../../shared/ipc/audit-contract';
import { ApiError, call, errorMessage } from '../../lib/api';
import type { ReviewRow } from './format';

export const PAGE_SIZE = 100;

export interface PagesState {
  rows: ReviewRow[];
  /** Keyset cursor for the next page (the last loaded seq), null when everything is loaded. */
  next: number | null;
  /** A page request is in flight. */
  loading: boolean;
  /** At least one page of the current filter has arrived. */
  loaded: boolean;
  error: string | null;
  fieldErrors: Record<string, string>;
}

const INITIAL: PagesState = { rows: [], next: null, loading: false, loaded: false, error: null, fieldErrors: {} };

/**
 * Pages of 'audit.review' newest first, by keyset: `search` starts over with a filter, `loadMore` appends the
 * page before the last loaded seq. A response for an earlier filter (the supervisor searched again meanwhile)
 * is dropped; at most one request is in flight.
 */
export function useReviewPages() {
  const [state, setState] = useState<PagesState>({ ...INITIAL, loading: true });
  const generation = useRef(0);
  const inFlight = useRef(false);
  const cursor = useRef<{ filter: ReviewFilterInput; next: number | null } | null>(null);

  const fetchPage = useCallback((filter: ReviewFilterInput, beforeSeq: number | null, append: boolean) => {
    const gen = generation.current;
    inFlight.current = true;
    call('audit.review', { filter, beforeSeq, limit: PAGE_SIZE }).then(
      (page) => {
        if (gen !== generation.current) return;
        inFlight.current = false;
        cursor.current = { filter, next: page.next };
        setState((s) => ({ rows: append ? [...s.rows, ...page.rows] : page.rows, next: page.next, loading: false, loaded: true, error: null, fieldErrors: {} }));
      },
      (e: unknown) => {
        if (gen !== generation.current) return;
        inFlight.current = false;
        setState((s) => ({ ...s, loading: false, error: errorMessage(e), fieldErrors: e instanceof ApiError ? e.fieldErrors : {} }));
      },
    );
  }, []);

  /** Start over with a filter (the form's 検索, and the screen's first load). */
  const search = useCallback(
    (filter: ReviewFilterInput) => {
      generation.current += 1;
      cursor.current = { filter, next: null };
      fetchPage(filter, null, false);
    },
    [fetchPage],
  );

  /** The form was submitted: clear the table at once and show that a search is running. */
  const searchFromForm = useCallback(
    (filter: ReviewFilterInput) => {
      setState({ ...INITIAL, loading: true });
      search(filter);
    },
    [search],
  );

  /** Append the next page, if there is one and none is loading. */
  const loadMore = useCallback(() => {
    const c = cursor.current;
    if (inFlight.current || !c || c.next === null) return;
    setState((s) => ({ ...s, loading: true }));
    fetchPage(c.filter, c.next, true);
  }, [fetchPage]);

  return { ...state, search, searchFromForm, loadMore };
}
