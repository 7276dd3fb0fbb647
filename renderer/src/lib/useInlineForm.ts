import { useRef, useState } from 'react';

/**
 * Which row's inline form is open (at most one), and the button that opened it: cancelling closes the form
 * and gives the focus back to that button.
 */
export function useInlineForm<K>() {
  const [open, setOpen] = useState<K | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  return {
    open,
    show(key: K, from: HTMLElement) {
      opener.current = from;
      setOpen(key);
    },
    close() {
      setOpen(null);
    },
    cancel() {
      setOpen(null);
      opener.current?.focus();
    },
  };
}
