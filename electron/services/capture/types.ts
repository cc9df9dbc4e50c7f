/** The capture types are shared with the renderer: they live in shared/capture/types.ts. */
export * from '../../../shared/capture/types';
