/** The sidebar's way to the accounting view ("where did the RSS go"). */
export function MemoryNav({ active, onOpen }: { active: boolean; onOpen(): void }) {
  return (
    <button type="button" className={`findings-nav memory-nav${active ? ' is-active' : ''}`} onClick={onOpen} aria-current={active ? 'page' : undefined} data-testid="memory-nav" title="Where the memory goes: runtime.MemStats broken down to Sys">
      <svg className="findings-nav__icon" viewBox="0 0 16 16" aria-hidden="true">
        <rect x="1.5" y="3" width="13" height="4" fill="none" stroke="currentColor" strokeWidth="1.3" />
        <rect x="1.5" y="9" width="8" height="4" fill="none" stroke="currentColor" strokeWidth="1.3" />
      </svg>
      <span className="findings-nav__label">Memory</span>
    </button>
  );
}
