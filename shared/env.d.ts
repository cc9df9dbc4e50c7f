/**
 * The few host globals shared/ may use. They exist in every place shared/ runs (Node, browsers,
 * workers) but belong to neither ES2022 nor a DOM-free lib, so they are declared here, minimally.
 * Anything else from a host (files, zlib, fetch) is passed in by the caller.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBuffer, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare function setTimeout(handler: () => void, ms?: number): unknown;
declare const performance: { now(): number };
