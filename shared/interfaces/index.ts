/** Every interface the central server accepts, by インタフェースID (the header's item and the file name's prefix). */
import type { InterfaceDefinition } from './definition';
import { JUKI } from './juki';
import { KOKUHO } from './kokuho';
import { SEIHO } from './seiho';

export const INTERFACES: Readonly<Record<string, InterfaceDefinition>> = { JUKI, KOKUHO, SEIHO };

export function interfaceById(id: string): InterfaceDefinition | null {
  return Object.hasOwn(INTERFACES, id) ? INTERFACES[id]! : null;
}
