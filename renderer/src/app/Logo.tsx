export function Logo() {
  return (
    <svg className="logo" viewBox="0 0 32 32" aria-hidden="true">
      <rect x="3" y="21" width="26" height="6" rx="1.5" className="logo__bar logo__bar--1" />
      <rect x="6" y="14" width="15" height="6" rx="1.5" className="logo__bar logo__bar--2" />
      <rect x="9" y="7" width="7" height="6" rx="1.5" className="logo__bar logo__bar--3" />
      <circle cx="23.5" cy="9" r="4" fill="none" strokeWidth="2" className="logo__lens" />
      <path d="m26.4 11.9 2.6 2.6" strokeWidth="2" strokeLinecap="round" className="logo__lens" />
    </svg>
  );
}
