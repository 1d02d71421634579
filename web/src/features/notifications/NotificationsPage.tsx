import { useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { listChannels } from '@/api/notifications'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { Pagination } from '@/components/Pagination'
import { Alert } from '@/components/ui/alert'
import { canManageOrganisation, useRole } from '@/hooks/useRole'
import { AddChannelCard } from './AddChannelCard'
import { ChannelsCard } from './ChannelsCard'
import { DeliveryLogCard } from './DeliveryLogCard'
import { SettingsCard } from './SettingsCard'

/** The contract's largest page: an organisation's channels fit on one, so the log can name them all. */
export const CHANNEL_PAGE_SIZE = 100

export function NotificationsPage() {
  const canManage = canManageOrganisation(useRole())
  const [page, setPage] = useState(1)
  const channels = useQuery({
    queryKey: queryKeys.channelPage(page, CHANNEL_PAGE_SIZE),
    queryFn: () => listChannels(page, CHANNEL_PAGE_SIZE),
    placeholderData: keepPreviousData,
  })
  const list = channels.data?.results
  const count = channels.data?.count ?? 0

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Notifications</h1>
        <p className="text-sm text-slate-600">Where alerts are sent, how often, and what was delivered.</p>
      </div>

      {!canManage && (
        <Alert tone="info" data-testid="notifications-read-only">
          Only owners and admins can change channels and delivery settings. You can see them here.
        </Alert>
      )}

      {canManage && <AddChannelCard />}

      <ChannelsCard
        channels={list}
        error={channels.isError && !channels.data ? toApiError(channels.error).detail : null}
        canManage={canManage}
        footer={
          count > CHANNEL_PAGE_SIZE ? (
            <div className="border-t border-slate-100 px-5 py-3">
              <Pagination
                page={page}
                pageSize={CHANNEL_PAGE_SIZE}
                count={count}
                onPageChange={setPage}
                emptyLabel="No channels"
                label="Channel pages"
              />
            </div>
          ) : null
        }
      />

      <SettingsCard canManage={canManage} />

      <DeliveryLogCard channels={list ?? []} complete={Boolean(channels.data) && count <= (list?.length ?? 0)} />
    </div>
  )
}
