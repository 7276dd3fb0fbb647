import { CONFIRMATION_LABELS, ID_DOCUMENTS, type FieldError } from '../../../../shared/domain/identity-check';
import type { IdentityState } from './entryModel';

const CATEGORY_LABELS = { 'mynumber-card': '個人番号カード', 'number-only': '番号確認のみ', photo: '写真付き', 'non-photo': '写真なし' } as const;

function DocumentChecks({ legend, selected, onChange }: { legend: string; selected: string[]; onChange(docs: string[]): void }) {
  return (
    <fieldset className="doc-checks">
      <legend>{legend}</legend>
      {ID_DOCUMENTS.map((d) => (
        <label key={d.kind} className="check" title={CATEGORY_LABELS[d.category]}>
          <input
            type="checkbox"
            checked={selected.includes(d.kind)}
            onChange={(e) => onChange(e.target.checked ? [...selected, d.kind] : selected.filter((x) => x !== d.kind))}
          />{' '}
          {d.kind}
        </label>
      ))}
    </fieldset>
  );
}

/** 本人確認: who came, which documents were seen, the four confirmations; checkIdentity runs as staff tick. */
export function IdentitySection({ state, onChange, result }: { state: IdentityState; onChange(s: IdentityState): void; result: { ok: boolean; method: string | null; missing: FieldError[] } }) {
  const set = (p: Partial<IdentityState>) => onChange({ ...state, ...p });
  return (
    <section className="identity" aria-label="本人確認">
      <h2>本人確認</h2>
      <fieldset>
        <legend>来庁者</legend>
        {(['本人', '代理人'] as const).map((p) => (
          <label key={p} className="radio">
            <input type="radio" name="presenter" value={p} checked={state.presenter === p} onChange={() => set({ presenter: p })} /> {p}
          </label>
        ))}
      </fieldset>
      <DocumentChecks legend={state.presenter === '本人' ? '確認した書類' : '本人の番号確認書類（写しでも可）'} selected={state.documents} onChange={(documents) => set({ documents })} />
      {state.presenter === '代理人' && (
        <>
          <label className="check">
            <input type="checkbox" checked={state.powerOfAttorney} onChange={(e) => set({ powerOfAttorney: e.target.checked })} /> 委任状を確認した
          </label>
          <DocumentChecks legend="代理人の本人確認書類" selected={state.agentDocuments} onChange={(agentDocuments) => set({ agentDocuments })} />
        </>
      )}
      <fieldset>
        <legend>住民記録との照合</legend>
        {(Object.keys(CONFIRMATION_LABELS) as (keyof typeof CONFIRMATION_LABELS)[]).map((k) => (
          <label key={k} className="check">
            <input type="checkbox" checked={state.confirmed[k]} onChange={(e) => set({ confirmed: { ...state.confirmed, [k]: e.target.checked } })} /> {CONFIRMATION_LABELS[k]}を確認した
          </label>
        ))}
      </fieldset>
      {result.ok ? (
        <p className="ok" role="status" data-testid="identity-result">
          本人確認ができています（{result.method}）
        </p>
      ) : (
        <div className="missing" data-testid="identity-result">
          <strong>本人確認に不足があります:</strong>
          <ul>
            {result.missing.map((m) => (
              <li key={`${m.path}:${m.message}`}>{m.message}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
