// The Node line this project runs on: package.json engines.node, the line the pinned Electron embeds.
// Used by scripts/check-node.mjs (the first step of `npm test`) and electron/build/__tests__/node-version.test.ts.

/** Parses an engines range of the one form this project uses, ">=A.B <C". */
export function parseEnginesRange(range) {
  const m = /^>=(\d+)\.(\d+) <(\d+)$/.exec(range ?? '');
  if (!m) throw new Error(`engines.node "${range}" is not of the form ">=A.B <C"`);
  return { major: Number(m[1]), minor: Number(m[2]), below: Number(m[3]) };
}

/** Whether a Node version ("24.11.0") lies in an engines range ">=A.B <C". */
export function satisfiesEngines(version, range) {
  const { major, minor, below } = parseEnginesRange(range);
  const [maj, min] = version.split('.').map(Number);
  return (maj > major || (maj === major && min >= minor)) && maj < below;
}
