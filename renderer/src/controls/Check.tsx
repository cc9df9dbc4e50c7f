/** A labelled checkbox for a toolbar (Changed only, Growing only, Normalize). */
export function Check({ checked, onChange, label, title, testId }: { checked: boolean; onChange(checked: boolean): void; label: string; title?: string; testId?: string }) {
  return (
    <label className="check" title={title}>
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      {label}
    </label>
  );
}
