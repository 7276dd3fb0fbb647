import type { ClaimComputation, ClaimKind } from '../../../../shared/domain/claims';
import { KodomoFields, KogakuFields } from './GridKindFields';
import type { KindState, KindStates } from './kindState';
import { GenmenFields, ShikakuFields, KyusaiFields, RyoyohiFields, ShussanFields, SousaiFields } from './SmallKindFields';

interface Props {
  kind: ClaimKind;
  state: KindState;
  onChange(s: KindState): void;
  errors: Record<string, string>;
  computation: ClaimComputation | null;
  rowMap: readonly number[];
  persons: readonly { id: string; name: string }[];
  /** The child's guardians (保護者), for a 受給資格の交付申請. */
  guardians: readonly { id: string; label: string }[];
}

/** The kind-specific part of the entry form. */
export function KindFields({ kind, state, onChange, errors, computation, rowMap, persons, guardians }: Props) {
  const common = { onChange, errors };
  switch (kind) {
    case 'kodomo_shikaku':
      return <ShikakuFields {...common} state={state as KindStates['kodomo_shikaku']} guardians={guardians} />;
    case 'kodomo_shokan':
      return <KodomoFields {...common} state={state as KindStates['kodomo_shokan']} computation={computation} rowMap={rowMap} />;
    case 'kokuho_kogaku':
      return <KogakuFields {...common} state={state as KindStates['kokuho_kogaku']} computation={computation} rowMap={rowMap} persons={persons} />;
    case 'kokuho_ryoyohi':
      return <RyoyohiFields {...common} state={state as KindStates['kokuho_ryoyohi']} />;
    case 'kokuho_shussan':
      return <ShussanFields {...common} state={state as KindStates['kokuho_shussan']} />;
    case 'kokuho_sousai':
      return <SousaiFields {...common} state={state as KindStates['kokuho_sousai']} />;
    case 'yobou_genmen':
      return <GenmenFields {...common} state={state as KindStates['yobou_genmen']} />;
    case 'yobou_kyusai':
      return <KyusaiFields {...common} state={state as KindStates['yobou_kyusai']} />;
  }
}
