/**
 * The merged profile of a comparison: shared/profile's compareProfiles (pprof's -diff_base/-base
 * semantics, tested against go tool pprof goldens), under the name the comparison code uses.
 */
export { compareProfiles as mergeForCompare, profileTotals, type CompareMode } from '../profile/compare';
