/**
 * The way back at the top of a screen, e.g. 「← 戻る（Esc）」: Esc does the same (the screen registers it with
 * useEscape). `noPrint` keeps it off the paper on a print preview.
 */
export function BackNav({ label, onBack, noPrint = false }: { label: string; onBack(): void; noPrint?: boolean }) {
  return (
    <nav className={noPrint ? 'crumbs no-print' : 'crumbs'}>
      <button type="button" onClick={onBack}>
        {`← ${label}（Esc）`}
      </button>
    </nav>
  );
}
