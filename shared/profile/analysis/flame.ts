/**
 * Call trees for the flame graph: top-down (merged stacks), bottom-up (inverted) and the pivot
 * "sandwich". Top-down and inverted trees are pruned while they are built (buildPrunedTree: frame
 * sequences in a depth-first order, no node of a hidden subtree made); the sandwich is built
 * iteratively into flat typed arrays (a trie keyed by parent and frame name), then turned into
 * FlameNode objects with display pruning.
 *
 * Frames are merged by their printable name at the chosen granularity (the same names the top
 * table shows), so recursion shows as nested frames and inline frames as their own frames.
 *
 * Pruning never drops data: under every parent, the children narrower than minFraction of the
 * tree's width (by |value|, so diff profiles prune on the magnitude of change) are merged into one
 * synthetic child named "N frames hidden (X%)" carrying their summed value and `hiddenFrames = N`,
 * where N counts every frame of the merged subtrees and X is relative to the profile total.
 *
 * Pivot (sandwich) shape, chosen here and relied on by the UI:
 *   root  { name: "root", value: cum of the pivot (Σ weight of samples with the pivot on the stack) }
 *   ├─ children[0]: the CALLERS tree, inverted: its top node is the pivot itself, its children are
 *   │  the pivot's direct callers, theirs the callers' callers … out to the stack roots. Built from
 *   │  the innermost (leaf-most) occurrence of the pivot in each sample.
 *   └─ children[1]: the CALLEES tree: its top node is the pivot, then its callees down to the
 *      leaves, built from the outermost (root-most) occurrence, so recursion below it is included.
 *   Both pivot nodes have value = root value; `inverted` is ignored with a pivot. The pivot
 *   matches a node name exactly if any does,
 *   otherwise it is a regex over node names (all matches are merged into one pivot frame named by
 *   the single match or by the pattern). With no match, root has value 0 and no children.
 */
import type { FlameNode } from '../../api/types';
import type { TaskContext } from '../../task';
import { NO_TASK } from '../../task';
import { compileGoRegex } from './regex';
import { FrameSequences, sortedRuns, sortSequences } from './sequences';
import { compareGoStrings } from './top';
import type { ProfileView } from './view';

export const PIVOT_CALLERS = 0;
export const PIVOT_CALLEES = 1;

export interface FlameOptions {
  inverted?: boolean | undefined;
  minFraction?: number | undefined;
  pivot?: string | undefined;
}

export interface FlameTree {
  root: FlameNode;
  nodeCount: number;
  hiddenFrames: number;
}

/**
 * A trie of frames in typed arrays; node 0 is the root. Parents always precede their children.
 * Children are found through an open-addressing hash table on (parent, label).
 */
class Trie {
  parent: Int32Array;
  label: Int32Array;
  value: Float64Array;
  self: Float64Array;
  abs: Float64Array;
  n = 1;
  private table: Int32Array;
  private mask: number;
  constructor(cap: number) {
    this.parent = new Int32Array(cap);
    this.label = new Int32Array(cap);
    this.value = new Float64Array(cap);
    this.self = new Float64Array(cap);
    this.abs = new Float64Array(cap);
    this.parent[0] = -1;
    this.label[0] = -1;
    this.table = new Int32Array(cap * 2).fill(-1);
    this.mask = cap * 2 - 1;
  }
  private grow(): void {
    const cap = this.parent.length * 2;
    const gi = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    const gf = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.parent = gi(this.parent);
    this.label = gi(this.label);
    this.value = gf(this.value);
    this.self = gf(this.self);
    this.abs = gf(this.abs);
    // Rehash.
    this.table = new Int32Array(cap * 2).fill(-1);
    this.mask = cap * 2 - 1;
    for (let i = 1; i < this.n; i++) {
      let h = Trie.hash(this.parent[i]!, this.label[i]!) & this.mask;
      while (this.table[h] !== -1) h = (h + 1) & this.mask;
      this.table[h] = i;
    }
  }
  private static hash(parent: number, label: number): number {
    return (Math.imul(parent, 0x9e3779b1) ^ Math.imul(label + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  }
  child(parent: number, label: number): number {
    let h = Trie.hash(parent, label) & this.mask;
    const table = this.table;
    for (;;) {
      const c = table[h]!;
      if (c === -1) break;
      if (this.parent[c] === parent && this.label[c] === label) return c;
      h = (h + 1) & this.mask;
    }
    if (this.n === this.parent.length) {
      this.grow();
      return this.child(parent, label);
    }
    const c = this.n++;
    this.parent[c] = parent;
    this.label[c] = label;
    table[h] = c;
    return c;
  }
  add(node: number, w: number, aw: number): void {
    this.value[node] += w;
    this.abs[node] += aw;
  }
}

function hiddenName(count: number, value: number, total: number): string {
  const pct = total !== 0 ? Math.abs(value / total) * 100 : 0;
  const p = pct >= 10 ? pct.toFixed(0) : pct >= 1 ? pct.toFixed(1) : pct >= 0.1 ? pct.toFixed(1) : pct === 0 ? '0' : pct.toPrecision(1);
  return `${count} ${count === 1 ? 'frame' : 'frames'} hidden (${p}%)`;
}

interface Labels {
  nameIds: Map<string, number>;
  labelNames: string[];
  nodeLabel: Int32Array;
}

/** Frame labels: printable node names, interned so equal names merge. */
function frameLabels(v: ProfileView): Labels {
  const nameIds = new Map<string, number>();
  const labelNames: string[] = [];
  const nodeLabel = new Int32Array(v.nodes.count);
  for (let nd = 0; nd < v.nodes.count; nd++) {
    const name = v.nodes.names[nd]!;
    let id = nameIds.get(name);
    if (id === undefined) {
      id = labelNames.length;
      labelNames.push(name);
      nameIds.set(name, id);
    }
    nodeLabel[nd] = id;
  }
  return { nameIds, labelNames, nodeLabel };
}

/**
 * The call tree (top-down or inverted) with display pruning. Pruned while it is built: no node of
 * a hidden subtree is ever made (see buildPrunedTree); the pivot sandwich uses the trie.
 */
export function buildFlame(v: ProfileView, o: FlameOptions, task: TaskContext = NO_TASK): FlameTree {
  if (o.pivot === undefined || o.pivot === '') return buildPrunedTree(v, o, frameLabels(v), task);
  return buildFlameTrie(v, o, task);
}

/**
 * Builds the pruned tree without building the whole tree (tens of millions of nodes for a big
 * profile). Each kept sample becomes its frame-label sequence (root → leaf, or leaf → root when
 * inverted); the sequences are put in a depth-first order of the tree (sequences.ts), so the
 * samples under any node of the call tree are one contiguous run, and the LCP of neighbours counts
 * distinct nodes: a run's subtree has
 * Σ (len − max(depth, lcp)) nodes (the trie-size formula). The visible part is then made by
 * partitioning runs by the label at each depth, descending only into children at or above the
 * threshold; a hidden child costs one pass over its run. Output equals buildFlameTrie's.
 */
function buildPrunedTree(v: ProfileView, o: FlameOptions, L: Labels, task: TaskContext): FlameTree {
  const { labelNames, nodeLabel } = L;
  const seqs = new FrameSequences(v, nodeLabel, o.inverted === true, task);
  const order = seqs.kept;
  const ns = order.length;
  task.progress('building call tree', 1, 3);
  // 2. A depth-first order of the tree (the sequences under every node contiguous).
  const lcp = new Uint32Array(ns);
  sortSequences(order, lcp, seqs, L.labelNames.length, task);
  task.progress('building call tree', 2, 3);
  // 3. In sorted order: length, weight, and the LCP with the previous sequence; node count.
  const { lenS, wS, nodeCount, rootValue, rootAbs } = sortedRuns(order, lcp, seqs);
  // 4. The visible tree, run by run: in a run of depth d (every sequence shares d labels), the
  // sequences of length d end there (self), and a child starts wherever the LCP is d.
  const minFraction = o.minFraction ?? 0.0005;
  const threshold = minFraction > 0 ? rootAbs * minFraction : 0;
  const root: FlameNode = { name: 'root', value: rootValue, self: 0, children: [] };
  let hiddenTotal = 0;
  const stObj: FlameNode[] = [root];
  const stA: number[] = [0];
  const stB: number[] = [ns];
  const stD: number[] = [0];
  const vis: Array<{ label: number; a: number; b: number; value: number }> = [];
  let steps = 0;
  while (stObj.length > 0) {
    const obj = stObj.pop()!;
    const a = stA.pop()!;
    const b = stB.pop()!;
    const d = stD.pop()!;
    if ((++steps & 4095) === 0) task.throwIfCancelled();
    let r = a;
    let self = 0;
    while (r < b && lenS[r] === d) self += wS[r++]!;
    if (obj !== root) obj.self = self;
    vis.length = 0;
    let hidCount = 0;
    let hidValue = 0;
    while (r < b) {
      const g0 = r;
      let value = wS[r]!;
      let abs = Math.abs(value);
      let size = lenS[r]! - d;
      for (r++; r < b; r++) {
        const c = lcp[r]!;
        if (c <= d) break;
        const w = wS[r]!;
        value += w;
        abs += Math.abs(w);
        size += lenS[r]! - c;
      }
      if (abs < threshold) {
        hidCount += size;
        hidValue += value;
      } else vis.push({ label: seqs.at(order[g0]!, d), a: g0, b: r, value });
    }
    vis.sort((x, y) => compareGoStrings(labelNames[x.label]!, labelNames[y.label]!));
    for (const c of vis) {
      const co: FlameNode = { name: labelNames[c.label]!, value: c.value, self: 0, children: [] };
      obj.children.push(co);
      stObj.push(co);
      stA.push(c.a);
      stB.push(c.b);
      stD.push(d + 1);
    }
    if (hidCount > 0) {
      hiddenTotal += hidCount;
      obj.children.push({ name: hiddenName(hidCount, hidValue, v.total), value: hidValue, self: hidValue, children: [], hiddenFrames: hidCount });
    }
  }
  return { root, nodeCount, hiddenFrames: hiddenTotal };
}

/** The trie-based builder: the pivot sandwich (and the reference the pruned builder equals). */
export function buildFlameTrie(v: ProfileView, o: FlameOptions, task: TaskContext = NO_TASK): FlameTree {
  const p = v.profile;
  const { nameIds, labelNames, nodeLabel } = frameLabels(v);
  const PIVOT = labelNames.length;
  const CALLERS = PIVOT + 1;
  const CALLEES = PIVOT + 2;
  const trie = new Trie(1 << 14);

  let isPivot: Uint8Array | null = null;
  let pivotName = '';
  if (o.pivot !== undefined && o.pivot !== '') {
    isPivot = new Uint8Array(labelNames.length);
    const exact = nameIds.get(o.pivot);
    if (exact !== undefined) {
      isPivot[exact] = 1;
      pivotName = o.pivot;
    } else {
      const re = compileGoRegex(o.pivot, 'pivot');
      let matched = 0;
      for (let i = 0; i < labelNames.length; i++) {
        if (re.test(labelNames[i]!)) {
          isPivot[i] = 1;
          matched++;
          pivotName = labelNames[i]!;
        }
      }
      if (matched !== 1) pivotName = o.pivot;
    }
  }

  const sampleLocs = p.sampleLocs;
  const sampleLocStart = p.sampleLocStart;
  const locNodeStart = v.locNodeStart;
  const locNodes = v.locNodes;
  let frames = new Int32Array(256);
  let rootValue = 0;
  let rootAbs = 0;
  const callersTop = isPivot ? trie.child(0, CALLERS) : 0;
  const calleesTop = isPivot ? trie.child(0, CALLEES) : 0;

  for (let s = 0; s < p.sampleCount; s++) {
    const w = v.weight[s]!;
    if (w === 0) continue;
    if ((s & 4095) === 0 && s > 0) {
      task.throwIfCancelled();
      task.progress('building call tree', s, p.sampleCount);
    }
    const aw = Math.abs(w);
    // Frames root → leaf.
    let nf = 0;
    for (let i = sampleLocStart[s + 1]! - 1; i >= v.sampleFrom[s]!; i--) {
      const l = sampleLocs[i]!;
      for (let k = locNodeStart[l + 1]! - 1; k >= locNodeStart[l]!; k--) {
        if (nf === frames.length) {
          const b = new Int32Array(frames.length * 2);
          b.set(frames);
          frames = b;
        }
        frames[nf++] = nodeLabel[locNodes[k]!]!;
      }
    }
    if (nf === 0) continue;
    if (isPivot) {
      let first = -1;
      let last = -1;
      for (let i = 0; i < nf; i++) {
        if (isPivot[frames[i]!]) {
          if (first < 0) first = i;
          last = i;
        }
      }
      if (first < 0) continue;
      rootValue += w;
      rootAbs += aw;
      trie.add(callersTop, w, aw);
      trie.add(calleesTop, w, aw);
      // Callers: pivot, then outward to the root.
      let cur = trie.child(callersTop, PIVOT);
      trie.add(cur, w, aw);
      for (let i = last - 1; i >= 0; i--) {
        cur = trie.child(cur, frames[i]!);
        trie.add(cur, w, aw);
      }
      trie.self[cur] += w;
      // Callees: pivot, then inward to the leaf.
      cur = trie.child(calleesTop, PIVOT);
      trie.add(cur, w, aw);
      for (let i = first + 1; i < nf; i++) {
        cur = trie.child(cur, frames[i]!);
        trie.add(cur, w, aw);
      }
      trie.self[cur] += w;
      continue;
    }
    rootValue += w;
    rootAbs += aw;
    let cur = 0;
    if (o.inverted) {
      for (let i = nf - 1; i >= 0; i--) {
        cur = trie.child(cur, frames[i]!);
        trie.add(cur, w, aw);
      }
    } else {
      for (let i = 0; i < nf; i++) {
        cur = trie.child(cur, frames[i]!);
        trie.add(cur, w, aw);
      }
    }
    trie.self[cur] += w;
  }
  trie.value[0] = rootValue;
  trie.abs[0] = rootAbs;
  task.throwIfCancelled();

  // Children in CSR (parents precede children, so one counting pass suffices).
  const n = trie.n;
  const childStart = new Uint32Array(n + 1);
  for (let i = 1; i < n; i++) childStart[trie.parent[i]! + 1]!++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i]!;
  const fill = childStart.slice(0, n);
  const children = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) children[fill[trie.parent[i]!]!++] = i;
  // Subtree sizes (frames), children after parents → reverse pass.
  const size = new Float64Array(n).fill(1);
  for (let i = n - 1; i >= 1; i--) size[trie.parent[i]!] += size[i]!;

  const labelName = (lab: number): string => (lab === PIVOT ? pivotName : lab < labelNames.length ? labelNames[lab]! : '');
  const minFraction = o.minFraction ?? 0.0005;
  const threshold = minFraction > 0 ? rootAbs * minFraction : 0;
  const root: FlameNode = { name: 'root', value: rootValue, self: isPivot ? 0 : trie.self[0]!, children: [] };
  let hiddenTotal = 0;
  // Pivot wrappers are structural: their single pivot child is what the caller sees.
  const nodeCount = isPivot ? n - 3 : n - 1;
  const queueNode: number[] = [];
  const queueObj: FlameNode[] = [];
  if (isPivot) {
    for (const top of [callersTop, calleesTop]) {
      for (let c = childStart[top]!; c < childStart[top + 1]!; c++) {
        const ch = children[c]!;
        const obj: FlameNode = { name: labelName(trie.label[ch]!), value: trie.value[ch]!, self: trie.self[ch]!, children: [] };
        root.children.push(obj);
        queueNode.push(ch);
        queueObj.push(obj);
      }
    }
  } else {
    queueNode.push(0);
    queueObj.push(root);
  }
  for (let qi = 0; qi < queueNode.length; qi++) {
    const nd = queueNode[qi]!;
    const obj = queueObj[qi]!;
    let hidCount = 0;
    let hidValue = 0;
    const vis: number[] = [];
    for (let c = childStart[nd]!; c < childStart[nd + 1]!; c++) {
      const ch = children[c]!;
      if (trie.abs[ch]! < threshold) {
        hidCount += size[ch]!;
        hidValue += trie.value[ch]!;
      } else vis.push(ch);
    }
    vis.sort((a, b) => compareGoStrings(labelName(trie.label[a]!), labelName(trie.label[b]!)));
    for (const ch of vis) {
      const co: FlameNode = { name: labelName(trie.label[ch]!), value: trie.value[ch]!, self: trie.self[ch]!, children: [] };
      obj.children.push(co);
      queueNode.push(ch);
      queueObj.push(co);
    }
    if (hidCount > 0) {
      hiddenTotal += hidCount;
      obj.children.push({ name: hiddenName(hidCount, hidValue, v.total), value: hidValue, self: hidValue, children: [], hiddenFrames: hidCount });
    }
  }
  return { root, nodeCount, hiddenFrames: hiddenTotal };
}
