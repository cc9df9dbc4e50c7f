/**
 * `heapscope check`: a policy (fail-on severity, threshold overrides, allowances with reasons and
 * expiry, budgets, a baseline tolerance) applied to findings, budgets and a baseline comparison;
 * SARIF 2.1.0, JUnit XML, text and JSON out. Pure: the caller loads files and validates the policy
 * file against heapscope-policy.schema.json. See README.md.
 */
export type * from './types';
export { BASELINE_KIND } from './types';
export { defaultPolicy, DEFAULT_TOLERANCE, isCalendarDate, isExpired, isoDay, parseSize, pathText, policyFromJson, PolicyError, SIZE_PATTERN, type JsonPath } from './policy';
export { bandOf, compareSeries, compareWithBaseline, heapGrowthPercent, toleranceText } from './baseline';
export { captureOrder, measureInputs, siteSeries, type SiteSnapshot } from './measure';
export { buildLocationIndex, locate, locateFinding, type LocationIndex } from './locations';
export { allowanceMatches, evaluatePolicy, growthText, type CheckInput } from './evaluate';
export { RULES, ruleInfo, type RuleId, type RuleInfo } from './rules';
export { artifactLocation, fingerprint, toSarif, type SarifLog, type SarifOptions } from './sarif';
export { toJUnit, xmlEscape } from './junit';
export { evidenceSummary, formatCheckText } from './text';
