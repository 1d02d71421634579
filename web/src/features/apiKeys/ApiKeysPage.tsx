import { useState } from 'react'
import { toApiError } from '@/api/errors'
import { PermissionNotice } from '@/components/PermissionNotice'
import { Skeleton } from '@/components/ui/skeleton'
import { canManageOrganisation, useServerRole } from '@/hooks/useRole'
import { ApiKeysCard, useApiKeyPage } from './ApiKeysCard'
import { CreateApiKeyCard } from './CreateApiKeyCard'

/** /settings/api-keys: owners and admins make and revoke keys for machine clients. */
export function ApiKeysPage() {
  const role = useServerRole()
  const canManage = canManageOrganisation(role)
  const [page, setPage] = useState(1)
  const keys = useApiKeyPage(page, canManage)
  const denied = !canManage || (keys.isError && toApiError(keys.error).status === 403)

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">API keys</h1>
        <p className="text-sm text-slate-600">
          Keys let scripts and services use the StatusWatch API as this organisation, without anyone&rsquo;s password.
        </p>
      </div>
      {!role ? (
        <Skeleton className="h-24" />
      ) : denied ? (
        <PermissionNotice what="and manage API keys" testId="api-keys-denied" />
      ) : (
        <>
          <CreateApiKeyCard />
          <ApiKeysCard keys={keys} page={page} onPageChange={setPage} />
        </>
      )}
    </div>
  )
}
