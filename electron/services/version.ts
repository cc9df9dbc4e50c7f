declare const __HEAPSCOPE_VERSION__: string | undefined;
/** Set at build time from package.json (build/build.mjs); "dev" when run unbundled. */
export const VERSION: string = typeof __HEAPSCOPE_VERSION__ === 'string' ? __HEAPSCOPE_VERSION__ : 'dev';
