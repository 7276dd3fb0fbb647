/**
 * RFC 9162 (Certificate Transparency v2) §2.1 Merkle trees, pure TypeScript: no Node, no DOM. SHA-256 is
 * supplied by the caller (`new MerkleHasher(sha256)`), so the terminal (node:crypto), the central server and
 * the stand-alone verifier all compute exactly the same trees.
 *
 *   MTH({})       = SHA-256()                                 (the empty string)
 *   MTH({d(0)})   = SHA-256(0x00 || d(0))                     (leaf hash)
 *   MTH(D[n])     = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))  k = largest power of two < n
 *
 * Implemented: the tree head (§2.1.1), inclusion proofs (§2.1.3.1 generation, §2.1.3.2 verification) and
 * consistency proofs (§2.1.4.1 generation, §2.1.4.2 verification). Proofs are lists of 32-byte node hashes,
 * as in the RFC. Leaf indices are 0-based.
 *
 * Verification functions never throw on bad input (wrong sizes, short hashes, garbage): they return false.
 */

/** SHA-256 of `data`, returning a new 32-byte array on every call (the input buffer is reused between calls). */
export type Sha256 = (data: Uint8Array) => Uint8Array;

export const HASH_SIZE = 32;
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** The RFC 9162 hashing rules on top of a SHA-256 implementation. */
export class MerkleHasher {
  private readonly nodeScratch = new Uint8Array(1 + 2 * HASH_SIZE);
  private readonly leafScratch = new Uint8Array(1 + HASH_SIZE);

  constructor(private readonly sha256: Sha256) {
    this.nodeScratch[0] = NODE_PREFIX;
    this.leafScratch[0] = LEAF_PREFIX;
  }

  /** MTH of the empty list: SHA-256 of the empty string. */
  emptyRoot(): Uint8Array {
    return checked(this.sha256(new Uint8Array(0)));
  }

  /** SHA-256(0x00 || data). */
  hashLeaf(data: Uint8Array): Uint8Array {
    if (data.length === HASH_SIZE) {
      // The audit log's leaves are 32-byte entry hashes: no allocation for the input.
      this.leafScratch.set(data, 1);
      return checked(this.sha256(this.leafScratch));
    }
    const buf = new Uint8Array(1 + data.length);
    buf[0] = LEAF_PREFIX;
    buf.set(data, 1);
    return checked(this.sha256(buf));
  }

  /** SHA-256(0x01 || left || right); both children must be 32 bytes. */
  hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
    if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) throw new RangeError('merkle: node hashes must be 32 bytes');
    this.nodeScratch.set(left, 1);
    this.nodeScratch.set(right, 1 + HASH_SIZE);
    return checked(this.sha256(this.nodeScratch));
  }
}

/** The sha256 function must return a new array on each call (node:crypto's `hash`/`digest` do); only its length is checked. */
function checked(h: Uint8Array): Uint8Array {
  if (h.length !== HASH_SIZE) throw new RangeError(`merkle: sha256 returned ${h.length} bytes`);
  return h;
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function largestPowerOfTwoBelow(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`merkle: no power of two below ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && Number.isSafeInteger(n) && 2 ** Math.round(Math.log2(n)) === n;
}

/**
 * The tree head computed leaf by leaf, keeping only the O(log n) perfect subtrees of the binary
 * decomposition of n (a "compact range"). The root is the right-to-left fold of those subtrees, which is
 * exactly the RFC's recursive MTH. Use it to build a checkpoint over a large log without holding it in memory.
 */
export class MerkleRootBuilder {
  /** stack[i] = hash of a perfect subtree; sizes[i] its leaf count; sizes strictly decreasing. */
  private readonly stack: Uint8Array[] = [];
  private readonly sizes: number[] = [];
  private count = 0;

  constructor(private readonly hasher: MerkleHasher) {}

  get size(): number {
    return this.count;
  }

  /** Append a leaf given its data (it is hashed with the 0x00 prefix). */
  addLeaf(data: Uint8Array): void {
    this.addLeafHash(this.hasher.hashLeaf(data));
  }

  /** Append a leaf given its leaf hash (already SHA-256(0x00 || data)). */
  addLeafHash(leafHash: Uint8Array): void {
    if (leafHash.length !== HASH_SIZE) throw new RangeError('merkle: leaf hashes must be 32 bytes');
    let h = leafHash;
    let size = 1;
    while (this.sizes.length > 0 && this.sizes[this.sizes.length - 1] === size) {
      const left = this.stack.pop() as Uint8Array;
      this.sizes.pop();
      h = this.hasher.hashChildren(left, h);
      size *= 2;
    }
    this.stack.push(h);
    this.sizes.push(size);
    this.count += 1;
  }

  /**
   * The compact range: hashes of the perfect subtrees that make up the leaves so far, largest first (one per
   * set bit of `size`). With the size it is enough to continue the tree later without the earlier leaves.
   */
  frontier(): Uint8Array[] {
    return this.stack.map((h) => h.slice());
  }

  /** Continue a tree of `size` leaves from its `frontier()`. Throws if the frontier does not fit the size. */
  static fromFrontier(hasher: MerkleHasher, size: number, frontier: readonly Uint8Array[]): MerkleRootBuilder {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`merkle: tree size ${size} is not valid`);
    const sizes: number[] = [];
    for (let bit = 2 ** Math.floor(Math.log2(Math.max(size, 1))); bit >= 1; bit /= 2) {
      if (Math.floor(size / bit) % 2 === 1) sizes.push(bit);
    }
    if (sizes.length !== frontier.length || frontier.some((h) => h.length !== HASH_SIZE)) {
      throw new RangeError(`merkle: a frontier for ${size} leaves has ${sizes.length} hashes of 32 bytes`);
    }
    const b = new MerkleRootBuilder(hasher);
    b.stack.push(...frontier.map((h) => h.slice()));
    b.sizes.push(...sizes);
    b.count = size;
    return b;
  }

  /** MTH of the leaves added so far. */
  root(): Uint8Array {
    if (this.stack.length === 0) return this.hasher.emptyRoot();
    let h = this.stack[this.stack.length - 1] as Uint8Array;
    for (let i = this.stack.length - 2; i >= 0; i--) h = this.hasher.hashChildren(this.stack[i] as Uint8Array, h);
    return h.slice();
  }
}

/** MTH over a list of leaf data (RFC 9162 §2.1.1). */
export function merkleTreeHash(hasher: MerkleHasher, leaves: Iterable<Uint8Array>): Uint8Array {
  const b = new MerkleRootBuilder(hasher);
  for (const d of leaves) b.addLeaf(d);
  return b.root();
}

/**
 * A tree over n leaves that keeps every perfect (power-of-two, aligned) subtree hash, level by level in flat
 * arrays (≈ 2n × 32 bytes), so that the root, inclusion proofs and consistency proofs for any size m ≤ n
 * cost O(log n) hashes each after an O(n) build.
 */
export class MerkleTree {
  /** levels[h] holds floor(n / 2^h) hashes of 32 bytes; level 0 = leaf hashes. */
  private readonly levels: Uint8Array[];

  private constructor(
    private readonly hasher: MerkleHasher,
    leafLevel: Uint8Array,
    readonly size: number,
  ) {
    this.levels = [leafLevel];
    let below = leafLevel;
    let count = size;
    while (count >= 2) {
      const next = new Uint8Array(Math.floor(count / 2) * HASH_SIZE);
      for (let i = 0; i + 1 < count; i += 2) {
        const h = hasher.hashChildren(below.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE), below.subarray((i + 1) * HASH_SIZE, (i + 2) * HASH_SIZE));
        next.set(h, (i / 2) * HASH_SIZE);
      }
      this.levels.push(next);
      below = next;
      count = Math.floor(count / 2);
    }
  }

  /** A tree over leaf hashes laid out back to back (n × 32 bytes), which avoids one object per leaf for large trees. */
  static fromLeafHashLevel(hasher: MerkleHasher, level: Uint8Array): MerkleTree {
    if (level.length % HASH_SIZE !== 0) throw new RangeError('merkle: the leaf level must be a multiple of 32 bytes');
    return new MerkleTree(hasher, level, level.length / HASH_SIZE);
  }

  /** A tree over leaf data (each is hashed with the 0x00 prefix). */
  static fromLeaves(hasher: MerkleHasher, leaves: readonly Uint8Array[]): MerkleTree {
    const level = new Uint8Array(leaves.length * HASH_SIZE);
    leaves.forEach((d, i) => level.set(hasher.hashLeaf(d), i * HASH_SIZE));
    return new MerkleTree(hasher, level, leaves.length);
  }

  /** A tree over leaf hashes that are already SHA-256(0x00 || data). */
  static fromLeafHashes(hasher: MerkleHasher, leafHashes: readonly Uint8Array[]): MerkleTree {
    const level = new Uint8Array(leafHashes.length * HASH_SIZE);
    leafHashes.forEach((h, i) => {
      if (h.length !== HASH_SIZE) throw new RangeError('merkle: leaf hashes must be 32 bytes');
      level.set(h, i * HASH_SIZE);
    });
    return new MerkleTree(hasher, level, leafHashes.length);
  }

  leafHash(index: number): Uint8Array {
    this.checkIndex(index, this.size);
    return this.levels[0]!.slice(index * HASH_SIZE, (index + 1) * HASH_SIZE);
  }

  /** MTH(D[0:size]) for any size ≤ n (default n). */
  root(size = this.size): Uint8Array {
    this.checkSize(size);
    if (size === 0) return this.hasher.emptyRoot();
    return this.subtreeHash(0, size);
  }

  /** RFC 9162 §2.1.3.1 PATH(m, D[size]): the audit path of leaf `index` in the tree of the first `size` leaves. */
  inclusionProof(index: number, size = this.size): Uint8Array[] {
    this.checkSize(size);
    this.checkIndex(index, size);
    const out: Uint8Array[] = [];
    this.path(index, 0, size, out);
    return out;
  }

  /** RFC 9162 §2.1.4.1 PROOF(m, D[n]): proves that the first `oldSize` leaves are a prefix of the first `newSize`. */
  consistencyProof(oldSize: number, newSize = this.size): Uint8Array[] {
    this.checkSize(newSize);
    if (!Number.isSafeInteger(oldSize) || oldSize < 0 || oldSize > newSize) throw new RangeError(`merkle: cannot prove consistency from ${oldSize} to ${newSize}`);
    const out: Uint8Array[] = [];
    if (oldSize === 0 || oldSize === newSize) return out;
    this.subproof(oldSize, 0, newSize, true, out);
    return out;
  }

  // PATH(m, D[start:start+n]), appended bottom-up (the RFC's list order).
  private path(m: number, start: number, n: number, out: Uint8Array[]): void {
    if (n === 1) return;
    const k = largestPowerOfTwoBelow(n);
    if (m < k) {
      this.path(m, start, k, out);
      out.push(this.subtreeHash(start + k, n - k));
    } else {
      this.path(m - k, start + k, n - k, out);
      out.push(this.subtreeHash(start, k));
    }
  }

  // SUBPROOF(m, D[start:start+n], b).
  private subproof(m: number, start: number, n: number, b: boolean, out: Uint8Array[]): void {
    if (m === n) {
      if (!b) out.push(this.subtreeHash(start, n));
      return;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      this.subproof(m, start, k, b, out);
      out.push(this.subtreeHash(start + k, n - k));
    } else {
      this.subproof(m - k, start + k, n - k, false, out);
      out.push(this.subtreeHash(start, k));
    }
  }

  /** MTH(D[start:start+n]), n ≥ 1: a stored node when the range is a perfect aligned subtree, else split as the RFC does. */
  private subtreeHash(start: number, n: number): Uint8Array {
    if (isPowerOfTwo(n) && start % n === 0) {
      const level = this.levels[Math.round(Math.log2(n))]!;
      const i = start / n;
      return level.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE);
    }
    const k = largestPowerOfTwoBelow(n);
    return this.hasher.hashChildren(this.subtreeHash(start, k), this.subtreeHash(start + k, n - k));
  }

  private checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) throw new RangeError(`merkle: tree size ${size} is not within 0..${this.size}`);
  }

  private checkIndex(index: number, size: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`merkle: leaf index ${index} is not within a tree of size ${size}`);
  }
}

/**
 * RFC 9162 §2.1.3.2: the root an inclusion proof leads to, or null when the proof has the wrong shape for
 * (leafIndex, treeSize) or contains a hash of the wrong length.
 */
export function rootFromInclusionProof(hasher: MerkleHasher, leafIndex: number, treeSize: number, leafHash: Uint8Array, proof: readonly Uint8Array[]): Uint8Array | null {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || treeSize < 1) return null;
  if (leafIndex >= treeSize) return null;
  if (leafHash.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return null;
  // fn, sn as in the RFC; treeSize < 2^53 so plain division keeps them exact (no 32-bit bit operators).
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = hasher.hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hasher.hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.3.2: does `proof` show that `leafHash` is leaf `leafIndex` of the tree of size `treeSize` with root `root`? */
export function verifyInclusion(hasher: MerkleHasher, leafIndex: number, treeSize: number, leafHash: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const r = rootFromInclusionProof(hasher, leafIndex, treeSize, leafHash, proof);
  return r !== null && bytesEqual(r, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of size `size1` with root `root1` is a prefix of the tree
 * of size `size2` with root `root2`? Equal sizes need an empty proof and equal roots; size1 = 0 needs an empty
 * proof and root1 = MTH({}) (stricter than some implementations, which ignore root1 there).
 */
export function verifyConsistency(hasher: MerkleHasher, size1: number, size2: number, proof: readonly Uint8Array[], root1: Uint8Array, root2: Uint8Array): boolean {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) return false;
  if (root1.length !== HASH_SIZE || root2.length !== HASH_SIZE || proof.some((p) => p.length !== HASH_SIZE)) return false;
  if (size1 === size2) return proof.length === 0 && bytesEqual(root1, root2);
  if (size1 === 0) return proof.length === 0 && bytesEqual(root1, hasher.emptyRoot());
  // 1. An empty path fails.
  if (proof.length === 0) return false;
  // 2. If first is an exact power of two, prepend first_hash.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  // 3.
  let fn = size1 - 1;
  let sn = size2 - 1;
  // 4.
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 5.
  let fr = path[0] as Uint8Array;
  let sr = fr;
  // 6.
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as Uint8Array;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hasher.hashChildren(c, fr);
      sr = hasher.hashChildren(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hasher.hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // 7.
  return sn === 0 && bytesEqual(fr, root1) && bytesEqual(sr, root2);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

const HEX = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b >> 4]! + HEX[b & 15]!;
  return s;
}

function hexNibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 97 && c <= 102) return c - 87; // a-f
  if (c >= 65 && c <= 70) return c - 55; // A-F
  return -1;
}

/** Lower- or upper-case hex to bytes; throws on odd length or a non-hex character. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new RangeError('merkle: not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(hex.charCodeAt(2 * i));
    const lo = hexNibble(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) throw new RangeError('merkle: not a hex string');
    out[i] = hi * 16 + lo;
  }
  return out;
}
