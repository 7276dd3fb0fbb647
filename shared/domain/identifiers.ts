/**
 * Identifiers staff type (職員ID, 宛名番号, 端末ID), normalised before they are checked: NFKC width folding (an IME in
 * full-width mode gives 'Ｄ１００１', '９００００２') and no spaces. Used by the renderer before sending and by the
 * contracts the core checks with, so both sides read the same text the same way.
 */
export function foldIdentifier(s: string): string {
  return s.normalize('NFKC').replace(/[\s\u3000]/gu, '');
}

/** 'Ｄ１００１ ' → 'D1001'. Case is kept (staff IDs are registered in one case; filters compare without it). */
export const normalizeStaffId = foldIdentifier;

/** '９００００２' → '900002'. */
export const normalizeAtenaNo = foldIdentifier;
