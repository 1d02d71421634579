import type { CheckerRegion } from '@/api/types'

interface RegionsHintProps {
  /** GET /api/regions/'s regions; undefined while loading or when the call failed. */
  regions: CheckerRegion[] | undefined
  /** Adds the name to the Regions field (once). */
  onPick: (name: string) => void
}

/**
 * "Regions: eu, us (no live checker)" under a Regions field: the regions an endpoint may
 * name, each a button that adds it to the field. Nothing while the list is not known, so
 * the field stays free text.
 */
export function RegionsHint({ regions, onPick }: RegionsHintProps) {
  if (!regions?.length) return null
  return (
    <div role="group" aria-label="Known regions" data-testid="regions-hint" className="flex flex-wrap items-center gap-1.5 text-xs text-slate-500">
      <span aria-hidden="true">Regions:</span>
      {regions.map((region) => (
        <span key={region.name} data-testid="known-region" data-live={region.live} className="inline-flex items-center gap-1">
          <button
            type="button"
            aria-label={`Add ${region.name}`}
            onClick={() => onPick(region.name)}
            className="inline-flex h-6 cursor-pointer items-center rounded-md border border-slate-300 bg-white px-2 font-medium text-slate-700 hover:border-brand-500 hover:text-brand-700 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-500 disabled:cursor-not-allowed disabled:opacity-50"
          >
            {region.name}
          </button>
          {!region.live && <span>(no live checker)</span>}
        </span>
      ))}
    </div>
  )
}
