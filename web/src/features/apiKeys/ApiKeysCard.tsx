import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { listApiKeys, revokeApiKey } from '@/api/apiKeys'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { ApiKey } from '@/api/types'
import { ConfirmDeleteDialog } from '@/components/ConfirmDeleteDialog'
import { Pagination } from '@/components/Pagination'
import { TonePill } from '@/components/TonePill'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useNow } from '@/hooks/useNow'
import { formatDate, formatDateTime, formatRelative } from '@/lib/format'
import { SCOPE_LABELS } from './schemas'

export const API_KEY_PAGE_SIZE = 20

function Scope({ scope }: { scope: string }) {
  const label = SCOPE_LABELS[scope as keyof typeof SCOPE_LABELS]?.label ?? scope
  return <TonePill label={label} tone={scope === 'write' ? 'amber' : 'blue'} status={scope} testId="api-key-scope" />
}

function Prefix({ prefix }: { prefix: string }) {
  return (
    <code className="whitespace-nowrap rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700" title="The start of the key">
      {prefix}…
    </code>
  )
}

function LastUsed({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="text-slate-500">Never</span>
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="whitespace-nowrap">
      {formatRelative(iso, now)}
    </time>
  )
}

function Expires({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="text-slate-500">Never</span>
  if (Date.parse(iso) <= now) return <TonePill label="Expired" tone="red" status="expired" testId="api-key-expired" />
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="whitespace-nowrap">
      {formatDate(iso)}
    </time>
  )
}

function RevokeButton({ apiKey, onRevoke }: { apiKey: ApiKey; onRevoke: () => Promise<void> }) {
  return (
    <ConfirmDeleteDialog
      name={apiKey.name}
      title="Revoke this API key?"
      consequence={`(${apiKey.prefix}…) stops working at once: programs that use it get 401 from their next request. This cannot be undone.`}
      actionLabel="Revoke"
      onConfirm={onRevoke}
      trigger={
        <Button variant="outline" size="sm" aria-label={`Revoke ${apiKey.name}`}>
          Revoke
        </Button>
      }
    />
  )
}

/** One page of the organisation's keys; the page refuses members before asking (and after a 403). */
export function useApiKeyPage(page: number, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.apiKeyPage(page, API_KEY_PAGE_SIZE),
    queryFn: () => listApiKeys(page, API_KEY_PAGE_SIZE),
    placeholderData: keepPreviousData,
    enabled,
  })
}

interface ApiKeysCardProps {
  keys: ReturnType<typeof useApiKeyPage>
  page: number
  onPageChange: (page: number) => void
}

/** The organisation's keys: a table from 1024 px, stacked rows below. */
export function ApiKeysCard({ keys, page, onPageChange }: ApiKeysCardProps) {
  const queryClient = useQueryClient()
  const now = useNow(60_000)
  const error = keys.isError && !keys.data ? toApiError(keys.error) : null

  const revoke = async (id: string) => {
    try {
      await revokeApiKey(id)
    } catch (cause) {
      // Revoked meanwhile, from another tab or by someone else: gone either way.
      if (toApiError(cause).status !== 404) throw cause
    }
    await queryClient.invalidateQueries({ queryKey: queryKeys.apiKeys })
  }

  const list = keys.data?.results ?? []
  return (
    <Card className="overflow-hidden" data-testid="api-keys">
      <CardHeader>
        <CardTitle>API keys</CardTitle>
      </CardHeader>
      {keys.isPending ? (
        <div className="space-y-2 p-5" aria-hidden="true">
          <Skeleton className="h-5 w-2/3" />
          <Skeleton className="h-5 w-1/2" />
        </div>
      ) : error ? (
        <div className="p-5">
          <Alert tone="error" title="API keys could not be loaded">
            {error.detail}
          </Alert>
        </div>
      ) : list.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-500" data-testid="api-keys-empty">
          No API keys yet. Create one above for a script or a service that talks to StatusWatch.
        </p>
      ) : (
        <>
          <div className="hidden lg:block">
            <table className="w-full table-fixed text-left text-sm" aria-label="API keys">
              <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-semibold uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="py-3 pl-5 pr-3">Name</th>
                  <th scope="col" className="w-36 px-3 py-3">Key</th>
                  <th scope="col" className="w-24 px-3 py-3">Scope</th>
                  <th scope="col" className="w-32 px-3 py-3">Created</th>
                  <th scope="col" className="w-36 px-3 py-3">Last used</th>
                  <th scope="col" className="w-32 px-3 py-3">Expires</th>
                  <th scope="col" className="w-28 py-3 pl-3 pr-5">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.map((apiKey) => (
                  <tr key={apiKey.id} data-testid="api-key-row">
                    <td className="py-3 pl-5 pr-3 font-medium break-words text-slate-900">{apiKey.name}</td>
                    <td className="px-3 py-3">
                      <Prefix prefix={apiKey.prefix} />
                    </td>
                    <td className="px-3 py-3">
                      <Scope scope={apiKey.scope} />
                    </td>
                    <td className="whitespace-nowrap px-3 py-3 text-slate-700">{formatDate(apiKey.created_at)}</td>
                    <td className="px-3 py-3 text-slate-700">
                      <LastUsed iso={apiKey.last_used_at} now={now} />
                    </td>
                    <td className="px-3 py-3 text-slate-700">
                      <Expires iso={apiKey.expires_at} now={now} />
                    </td>
                    <td className="py-3 pl-3 pr-5 text-right">
                      <RevokeButton apiKey={apiKey} onRevoke={() => revoke(apiKey.id)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul className="divide-y divide-slate-100 lg:hidden" aria-label="API keys">
            {list.map((apiKey) => (
              <li key={apiKey.id} data-testid="api-key-row" className="space-y-2 px-4 py-4 text-sm sm:px-5">
                <div className="flex items-start justify-between gap-3">
                  <p className="min-w-0 break-words font-medium text-slate-900">{apiKey.name}</p>
                  <Scope scope={apiKey.scope} />
                </div>
                <Prefix prefix={apiKey.prefix} />
                <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs text-slate-600">
                  <dt>Created</dt>
                  <dd>{formatDate(apiKey.created_at)}</dd>
                  <dt>Last used</dt>
                  <dd>
                    <LastUsed iso={apiKey.last_used_at} now={now} />
                  </dd>
                  <dt>Expires</dt>
                  <dd>
                    <Expires iso={apiKey.expires_at} now={now} />
                  </dd>
                </dl>
                <RevokeButton apiKey={apiKey} onRevoke={() => revoke(apiKey.id)} />
              </li>
            ))}
          </ul>
        </>
      )}
      {keys.data && keys.data.count > API_KEY_PAGE_SIZE && (
        <div className="border-t border-slate-100 px-5 py-3">
          <Pagination
            page={page}
            pageSize={API_KEY_PAGE_SIZE}
            count={keys.data.count}
            onPageChange={onPageChange}
            emptyLabel="No API keys"
            label="API key pages"
          />
        </div>
      )}
    </Card>
  )
}
