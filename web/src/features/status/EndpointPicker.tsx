import { useQuery } from '@tanstack/react-query'
import { listEndpoints } from '@/api/endpoints'
import { queryKeys } from '@/api/queryKeys'
import type { Endpoint } from '@/api/types'
import { Skeleton } from '@/components/ui/skeleton'
import { displayName } from '@/lib/endpoint'

const PICKER_PAGE_SIZE = 100

/** The tenant's endpoints (first 100), for the pickers and for naming an incident's endpoints. */
export function useEndpointChoices() {
  return useQuery({
    queryKey: queryKeys.endpointPage(1, PICKER_PAGE_SIZE),
    queryFn: () => listEndpoints(1, PICKER_PAGE_SIZE),
  })
}

export function endpointNames(ids: string[] | undefined, endpoints: Endpoint[] | undefined): string[] {
  return (ids ?? []).map((id) => {
    const found = endpoints?.find((e) => e.id === id)
    return found ? displayName(found) : 'A deleted endpoint'
  })
}

interface EndpointPickerProps {
  legend: string
  value: string[]
  onChange: (ids: string[]) => void
  disabled?: boolean
  hint?: string
}

/** Checkboxes for the tenant's endpoints; the order of `value` is the order they were ticked. */
export function EndpointPicker({ legend, value, onChange, disabled, hint }: EndpointPickerProps) {
  const endpoints = useEndpointChoices()
  const toggle = (id: string, on: boolean) => onChange(on ? [...value.filter((v) => v !== id), id] : value.filter((v) => v !== id))
  return (
    <fieldset disabled={disabled} className="space-y-2">
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      {endpoints.isPending ? (
        <Skeleton className="h-16" />
      ) : endpoints.isError ? (
        <p className="text-sm text-red-600">The endpoints could not be loaded.</p>
      ) : endpoints.data.results.length === 0 ? (
        <p className="text-sm text-slate-600">No endpoints yet: add one on the dashboard first.</p>
      ) : (
        <div className="grid max-h-60 gap-2 overflow-y-auto sm:grid-cols-2">
          {endpoints.data.results.map((endpoint) => (
            <label
              key={endpoint.id}
              className="flex min-w-0 cursor-pointer items-start gap-2.5 rounded-lg border border-slate-200 p-2.5 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50/60"
            >
              <input
                type="checkbox"
                className="mt-0.5 h-4 w-4 shrink-0 cursor-pointer accent-brand-600"
                checked={value.includes(endpoint.id)}
                onChange={(e) => toggle(endpoint.id, e.target.checked)}
              />
              <span className="min-w-0">
                {endpoint.name && <span className="block truncate font-medium text-slate-900">{endpoint.name}</span>}
                <span className="block truncate text-xs text-slate-500">{endpoint.url}</span>
              </span>
            </label>
          ))}
        </div>
      )}
    </fieldset>
  )
}
