import { useRef, type RefObject } from 'react';

/** A ref that always holds this render's `value`: callbacks made once (d3 handlers, listeners) read the latest. */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
