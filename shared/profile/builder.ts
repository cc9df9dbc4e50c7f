/**
 * Incremental construction of the model for importers that parse text: interns strings,
 * functions (name + file) and locations (by caller-chosen key), then packs everything into the
 * typed arrays of Profile.
 */
import { emptyProfile, setU64, StringTable, type Profile, type ValueTypeIdx } from './model';

export interface BuilderLine {
  func: number;
  line: number;
}

export class ProfileBuilder {
  readonly st = new StringTable();
  private readonly fnIndex = new Map<string, number>();
  private readonly fnName: number[] = [];
  private readonly fnFile: number[] = [];
  private readonly locIndex = new Map<string | number, number>();
  private readonly locAddr: Array<bigint | number> = [];
  private readonly locLineStart: number[] = [0];
  private readonly lineFunc: number[] = [];
  private readonly lineLine: number[] = [];
  private readonly sampleLocStart: number[] = [0];
  private readonly sampleLocs: number[] = [];
  private readonly values: number[] = [];
  private readonly labelStart: number[] = [0];
  private readonly labelKey: number[] = [];
  private readonly labelStr: number[] = [];
  private readonly labelNum: number[] = [];
  private readonly labelUnit: number[] = [];
  readonly p: Profile = emptyProfile();

  valueType(type: string, unit: string): ValueTypeIdx {
    return { type: this.st.intern(type), unit: this.st.intern(unit) };
  }

  func(name: string, file: string): number {
    const key = `${name}\u0000${file}`;
    let i = this.fnIndex.get(key);
    if (i === undefined) {
      i = this.fnName.length;
      this.fnName.push(this.st.intern(name));
      this.fnFile.push(this.st.intern(file));
      this.fnIndex.set(key, i);
    }
    return i;
  }

  /** Existing location index for a key, or -1. */
  findLocation(key: string | number): number {
    const i = this.locIndex.get(key);
    return i === undefined ? -1 : i;
  }

  /** Adds a location (lines innermost first); dedupes by key. */
  location(key: string | number, address: bigint | number, lines: BuilderLine[]): number {
    let i = this.locIndex.get(key);
    if (i !== undefined) return i;
    i = this.locAddr.length;
    this.locAddr.push(address);
    for (const l of lines) {
      this.lineFunc.push(l.func);
      this.lineLine.push(l.line);
    }
    this.locLineStart.push(this.lineFunc.length);
    this.locIndex.set(key, i);
    return i;
  }

  /** Gives a location that has no lines yet its (single) line. Only valid for the newest lines. */
  hasLines(loc: number): boolean {
    return this.locLineStart[loc + 1]! > this.locLineStart[loc]!;
  }

  sample(locs: ArrayLike<number>, values: ArrayLike<number>, labels?: Array<{ key: string; str?: string; num?: number; unit?: string }>): void {
    for (let i = 0; i < locs.length; i++) this.sampleLocs.push(locs[i]!);
    this.sampleLocStart.push(this.sampleLocs.length);
    for (let i = 0; i < values.length; i++) this.values.push(values[i]!);
    if (labels) {
      for (const l of labels) {
        this.labelKey.push(this.st.intern(l.key));
        if (l.str !== undefined) {
          this.labelStr.push(this.st.intern(l.str));
          this.labelNum.push(0);
          this.labelUnit.push(0);
        } else {
          this.labelStr.push(0);
          this.labelNum.push(l.num ?? 0);
          this.labelUnit.push(l.unit ? this.st.intern(l.unit) : 0);
        }
      }
    }
    this.labelStart.push(this.labelKey.length);
  }

  get sampleCount(): number {
    return this.sampleLocStart.length - 1;
  }

  /**
   * Packs the tables. Locations and functions get ids 1..n; lines of later-named locations may
   * be patched through `setLine` before this.
   */
  build(): Profile {
    const p = this.p;
    p.strings = this.st.strings;
    const nF = this.fnName.length;
    p.functionCount = nF;
    p.funcId = new Uint32Array(2 * nF);
    for (let i = 0; i < nF; i++) p.funcId[2 * i] = i + 1;
    p.funcName = Int32Array.from(this.fnName);
    p.funcSystemName = Int32Array.from(this.fnName);
    p.funcFilename = Int32Array.from(this.fnFile);
    p.funcStartLine = new Float64Array(nF);
    const nL = this.locAddr.length;
    p.locationCount = nL;
    p.locId = new Uint32Array(2 * nL);
    p.locAddress = new Uint32Array(2 * nL);
    for (let i = 0; i < nL; i++) {
      p.locId[2 * i] = i + 1;
      setU64(p.locAddress, i, this.locAddr[i]!);
    }
    p.locMapping = new Int32Array(nL).fill(-1);
    p.locIsFolded = new Uint8Array(nL);
    p.locLineStart = Uint32Array.from(this.locLineStart);
    p.lineFunc = Int32Array.from(this.lineFunc);
    p.lineLine = Float64Array.from(this.lineLine);
    p.lineColumn = new Float64Array(this.lineFunc.length);
    p.sampleCount = this.sampleCount;
    p.sampleLocStart = Uint32Array.from(this.sampleLocStart);
    p.sampleLocs = Uint32Array.from(this.sampleLocs);
    p.values = Float64Array.from(this.values);
    p.sampleLabelStart = Uint32Array.from(this.labelStart);
    p.labelKey = Int32Array.from(this.labelKey);
    p.labelStr = Int32Array.from(this.labelStr);
    p.labelNum = Float64Array.from(this.labelNum);
    p.labelNumUnit = Int32Array.from(this.labelUnit);
    return p;
  }
}
