import type { ReactNode } from 'react'
import type { Channel } from '@/api/types'
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Alert } from '@/components/ui/alert'
import { ChannelRow } from './ChannelRow'

interface ChannelsCardProps {
  channels: Channel[] | undefined
  error: string | null
  canManage: boolean
  footer?: ReactNode
}

export function ChannelsCard({ channels, error, canManage, footer }: ChannelsCardProps) {
  return (
    <Card className="overflow-hidden" data-testid="channels">
      <CardHeader>
        <CardTitle>Channels</CardTitle>
        <CardDescription>Every enabled channel gets the events it subscribes to, within seconds.</CardDescription>
      </CardHeader>
      {error ? (
        <div className="p-5">
          <Alert tone="error" title="Channels could not be loaded">
            {error}
          </Alert>
        </div>
      ) : !channels ? (
        <div className="space-y-2 p-5" aria-hidden="true">
          <Skeleton className="h-5 w-1/2" />
          <Skeleton className="h-4 w-2/3" />
        </div>
      ) : channels.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-500" data-testid="channels-empty">
          {canManage ? 'No channels yet. Add one above to get alerts by e-mail, in Slack or at your own webhook.' : 'No channels yet.'}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Notification channels">
          {channels.map((channel) => (
            <ChannelRow key={channel.id} channel={channel} canManage={canManage} />
          ))}
        </ul>
      )}
      {footer}
    </Card>
  )
}
