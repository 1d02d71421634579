import type { Endpoint } from '@/api/types'
import { kindOf, KIND_LABELS, targetInput } from '@/lib/endpointKinds'

/** What an endpoint watches, under its name: a link for HTTP, the target for the other kinds. */
export function TargetLine({ endpoint }: { endpoint: Endpoint }) {
  const kind = kindOf(endpoint)
  if (kind === 'http' && endpoint.url) {
    return (
      <a
        href={endpoint.url}
        target="_blank"
        rel="noopener noreferrer"
        className="block truncate text-sm text-slate-600 hover:text-brand-700 hover:underline"
      >
        {endpoint.method} {endpoint.url}
      </a>
    )
  }
  if (kind === 'dns') {
    return (
      <p className="break-words text-sm text-slate-600" data-testid="dns-target">
        <span className="font-medium text-slate-700">{endpoint.record_type ?? 'A'}</span> records of{' '}
        <span className="font-mono">{targetInput(endpoint)}</span>
        {endpoint.expected_value ? (
          <>
            {' '}
            · expecting <span className="break-all font-mono">{endpoint.expected_value}</span>
          </>
        ) : (
          ' · any answer'
        )}
      </p>
    )
  }
  if (kind === 'tcp') {
    return (
      <p className="truncate text-sm text-slate-600">
        {KIND_LABELS.tcp} <span className="font-mono">{targetInput(endpoint)}</span>
      </p>
    )
  }
  return <p className="text-sm text-slate-600">{KIND_LABELS.heartbeat}: pinged by your job</p>
}
