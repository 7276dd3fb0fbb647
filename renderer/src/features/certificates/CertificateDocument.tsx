import type { ResponseOf } from '../../../../shared/ipc/contract';
import { displayValue, keysOf, TEMPLATES } from './templates';

type Printable = ResponseOf<'certificates.printFields'>;
type Field = Printable['fields'][number];

/**
 * One certificate as printed, from the core's printed fields and the type's template (templates.ts):
 * card size (85.6 × 54 mm, drawn enlarged on screen) or A4. The print stylesheet shows only this element.
 */
export function CertificateDocument({ doc }: { doc: Printable }) {
  const t = TEMPLATES[doc.type];
  const byKey = new Map(doc.fields.map((f) => [f.key, f]));
  const allKeys = doc.fields.map((f) => f.key);
  const withheld = doc.restricted && !doc.released;
  const placed = new Set<string>(['title', ...(t.omit ?? [])]);
  const place = (cells: readonly string[]) => cells.filter((c) => keysOf(c, allKeys).some((k) => byKey.has(k)));

  const rows = t.rows.map(place).filter((r) => r.length > 0);
  const back = place(t.back);
  for (const c of [...rows.flat(), ...back]) keysOf(c, allKeys).forEach((k) => placed.add(k));
  // Anything the template does not place is still printed (see templates.ts).
  const extra = doc.fields.filter((f) => !placed.has(f.key)).map((f) => [f.key]);

  const cell = (key: string, wide = true) => <Cell key={key} cellKey={key} byKey={byKey} allKeys={allKeys} withheld={withheld} wide={wide} />;
  const title = byKey.get('title')?.value ?? doc.typeName;
  const stamp = doc.status !== 'valid' ? (doc.status === 'cancelled' ? '取消' : '失効') : t.reissueStamp && doc.issueKind === 'reissue' ? '再交付' : null;
  const notes = [...t.notes, ...doc.notes];

  return (
    <div className={`cert-doc cert-doc--${t.size}`} data-testid="certificate-document" data-type={doc.type}>
      <article className="cert-doc__front" aria-label={title}>
        <header>
          <h2>{title}</h2>
          {stamp && <span className="cert-doc__stamp">{stamp}</span>}
        </header>
        {t.lead && <p className="cert-doc__lead">{t.lead}</p>}
        <table>
          <tbody>
            {[...rows, ...extra].map((r) => (
              <tr key={r.join('+')} className={r.length === 1 ? 'cert-doc__row--wide' : undefined}>
                {r.map((k) => cell(k, r.length === 1))}
              </tr>
            ))}
          </tbody>
        </table>
        {t.size === 'a4' && <Notes notes={notes} />}
        <footer>
          {[t.issuer, doc.municipalityName, doc.issuerTitle].filter(Boolean).join('\u3000')}
        </footer>
      </article>
      {(t.size === 'card' ? back.length > 0 || notes.length > 0 : back.length > 0) && (
        <section className="cert-doc__back" aria-label="裏面">
          <h3>{t.size === 'card' ? '裏面' : '裏面記載事項'}</h3>
          {back.length > 0 && (
            <table>
              <tbody>
                {back.map((k) => (
                  <tr key={k}>{cell(k, false)}</tr>
                ))}
              </tbody>
            </table>
          )}
          {t.size === 'card' && <Notes notes={notes} />}
        </section>
      )}
    </div>
  );
}

function Notes({ notes }: { notes: readonly string[] }) {
  if (notes.length === 0) return null;
  return (
    <ol className="cert-doc__notes" aria-label="注意事項">
      {notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ol>
  );
}

function Cell({ cellKey, byKey, allKeys, withheld, wide }: { cellKey: string; byKey: Map<string, Field>; allKeys: readonly string[]; withheld: boolean; wide: boolean }) {
  const f = byKey.get(cellKey);
  const span = wide ? 3 : undefined;
  if (cellKey === 'validity') {
    const from = byKey.get('validFrom')?.value ?? '';
    const to = byKey.get('validTo')?.value ?? '';
    return (
      <>
        <th>有効期間</th>
        <td colSpan={span} className="cert-doc__validity">
          {from && `${displayValue('validFrom', from)}から`}
          {to && `${displayValue('validTo', to)}まで`}
        </td>
      </>
    );
  }
  if (cellKey === 'records') {
    const recs = keysOf('records', allKeys).map((k) => byKey.get(k)!);
    return (
      <td colSpan={4} className="cert-doc__records">
        <table>
          <thead>
            <tr>
              <th>番号</th>
              <th>接種記録（ワクチン・期・接種日・医療機関・ロット）</th>
            </tr>
          </thead>
          <tbody>
            {recs.map((r, i) => (
              <tr key={r.key}>
                <td>{i + 1}</td>
                <td>{displayValue(r.key, r.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </td>
    );
  }
  if (cellKey === 'name' || cellKey === 'guardian') {
    return (
      <>
        <th>{f?.label ?? '氏名'}</th>
        <td colSpan={span} data-field={cellKey}>
          <div className="cert-doc__furigana">{byKey.get(`${cellKey}Kana`)?.value}</div>
          <div className="cert-doc__name">{f?.value}</div>
        </td>
      </>
    );
  }
  if (!f) return null;
  const value = cellKey === 'address' && withheld && !f.value ? '（記載を省略しています）' : displayValue(f.key, f.value);
  return (
    <>
      <th>{f.label}</th>
      <td colSpan={span} data-field={f.key}>
        {value}
      </td>
    </>
  );
}
