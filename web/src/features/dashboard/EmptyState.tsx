export function EmptyState() {
  return (
    <div className="flex flex-col items-center gap-3 px-6 py-14 text-center">
      <svg viewBox="0 0 48 48" className="h-12 w-12 text-brand-500" aria-hidden="true" fill="none">
        <rect x="4" y="8" width="40" height="32" rx="6" className="fill-brand-50" />
        <path d="M10 26h7l4-9 6 15 4-8h7" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      <h3 className="text-base font-semibold text-slate-900">No endpoints yet</h3>
      <p className="max-w-sm text-sm text-slate-600">
        Add the first URL above. StatusWatch checks it straight away and then on your chosen interval.
      </p>
    </div>
  )
}
