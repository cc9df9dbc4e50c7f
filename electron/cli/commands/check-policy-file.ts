/**
 * Reading a policy file (heapscope check --config): strict JSON, checked against the shipped
 * schema (shared/policy/heapscope-policy.schema.json) with ajv, then read by shared/policy. Every error
 * names the file, the line and column, and the field (`allow[1].reason`).
 */
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
// jsonc-parser's "main" is a UMD build with dynamic requires esbuild cannot bundle: use its ES module build.
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser/lib/esm/main.js';
import schema from '../../../shared/policy/heapscope-policy.schema.json';
import { HeapscopeError } from '../../../shared/errors';
import { pathText, policyFromJson, PolicyError, type JsonPath, type Policy } from '../../../shared/policy';
import type { BudgetName } from '../../../shared/policy';

export const POLICY_FORMAT = 'heapscope policy (JSON)';

let validator: ReturnType<Ajv['compile']> | null = null;
function validate(): ReturnType<Ajv['compile']> {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv, ['date', 'regex']);
    validator = ajv.compile(schema);
  }
  return validator;
}

/** 1-based line and column of an offset. */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

function pointerPath(pointer: string): JsonPath {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** The node of a path (a property's key when the path ends at a property), else its nearest parent. */
function nodeAt(root: Node | undefined, path: JsonPath, key = false): Node | undefined {
  if (!root) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const v = findNodeAtLocation(root, path.slice(0, n));
    if (!v) continue;
    if (key && n === path.length && v.parent?.type === 'property') return v.parent.children?.[0] ?? v;
    return v;
  }
  return root;
}

interface Problem {
  path: JsonPath;
  message: string;
  node: Node | undefined;
}

function describeAjv(e: ErrorObject, root: Node | undefined): Problem {
  const path = pointerPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { path: [...path, String(p.missingProperty)], message: `is required${p.missingProperty === 'reason' ? ' (every allowance says why)' : ''}`, node: nodeAt(root, path) };
    case 'additionalProperties':
      return { path: [...path, String(p.additionalProperty)], message: `unknown field${path[0] === 'thresholds' ? ' (threshold names are those of shared/findings/thresholds.ts)' : ''}`, node: nodeAt(root, [...path, String(p.additionalProperty)], true) };
    case 'enum':
      return { path, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, node: nodeAt(root, path) };
    case 'anyOf':
      return { path, message: path[0] === 'allow' ? 'an allowance names a kind, a subject, or both' : 'matches none of the allowed forms', node: nodeAt(root, path) };
    case 'oneOf':
      return { path, message: 'must be bytes (an integer) or a size such as "64MiB"', node: nodeAt(root, path) };
    case 'format':
      return { path, message: p.format === 'date' ? 'must be a date YYYY-MM-DD' : p.format === 'regex' ? 'must be a regular expression' : `must be a ${String(p.format)}`, node: nodeAt(root, path) };
    case 'pattern':
      return { path, message: path[path.length - 1] === 'reason' ? 'must not be blank' : `must match ${String(p.pattern)}`, node: nodeAt(root, path) };
    default:
      return { path, message: e.message ?? e.keyword, node: nodeAt(root, path) };
  }
}

/** Drops the branch errors of anyOf/oneOf (their own error says it in one line). */
function topErrors(errors: ErrorObject[]): ErrorObject[] {
  const combos = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  return errors.filter((e) => !combos.some((c) => c !== e && e.schemaPath.startsWith(`${c.schemaPath}/`)));
}

function policyError(file: string, text: string, problems: Problem[]): HeapscopeError {
  const where = problems.map((p) => {
    const lc = p.node ? lineCol(text, p.node.offset) : { line: 1, column: 1 };
    return { ...lc, text: `${lc.line}:${lc.column}: ${pathText(p.path)}: ${p.message}` };
  });
  return new HeapscopeError({ code: 'BAD_FORMAT', message: `bad policy file: ${where.map((w) => w.text).join('; ')}`, file, format: POLICY_FORMAT, line: where[0]!.line });
}

export interface LoadedPolicy {
  policy: Policy;
  /** Line of each budget in the file (SARIF points budget violations there). */
  budgetLines: Partial<Record<BudgetName, number>>;
}

/** Reads, checks and interprets a policy file's text. Throws a HeapscopeError naming line and field. */
export function parsePolicyText(file: string, text: string): LoadedPolicy {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  if (errors.length || !root) {
    const e = errors[0];
    const lc = lineCol(text, e ? e.offset : 0);
    throw new HeapscopeError({ code: 'BAD_FORMAT', message: `not valid JSON: ${e ? printParseErrorCode(e.error) : 'empty'} at ${lc.line}:${lc.column}`, file, format: POLICY_FORMAT, line: lc.line });
  }
  const value: unknown = JSON.parse(text);
  const v = validate();
  if (!v(value)) throw policyError(file, text, topErrors(v.errors ?? []).map((e) => describeAjv(e, root)));
  let policy: Policy;
  try {
    policy = policyFromJson(value, file);
  } catch (e) {
    if (e instanceof PolicyError) throw policyError(file, text, [{ path: e.path, message: e.message, node: nodeAt(root, e.path) }]);
    throw e;
  }
  const budgetLines: Partial<Record<BudgetName, number>> = {};
  for (const b of ['maxHeapInuse', 'maxGoroutines', 'maxGrowthPercent'] as const) {
    const n = findNodeAtLocation(root, ['budgets', b]);
    if (n) budgetLines[b] = lineCol(text, (n.parent ?? n).offset).line;
  }
  return { policy, budgetLines };
}
