import { useEffect, useState } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { deleteChannel, sendTestMessage, updateChannel, type ChannelPatch } from '@/api/notifications'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { Channel } from '@/api/types'
import { ConfirmDeleteDialog } from '@/components/ConfirmDeleteDialog'
import { TonePill } from '@/components/TonePill'
import { TrashIcon } from '@/components/TrashIcon'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { CHANNEL_KIND_LABELS, eventsSummary } from '@/lib/alerts'
import { cn } from '@/lib/cn'
import { ChannelForm } from './ChannelForm'
import { channelPatch, channelValues, type ChannelValues } from './schemas'

/** How long "Test sent" stays next to the button. */
const TEST_SENT_MS = 6_000

interface ChannelRowProps {
  channel: Channel
  /** Owners and admins; members see the channel without its controls. */
  canManage: boolean
}

export function ChannelRow({ channel, canManage }: ChannelRowProps) {
  const queryClient = useQueryClient()
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [testSent, setTestSent] = useState(false)

  useEffect(() => {
    if (!testSent) return
    const timer = window.setTimeout(() => setTestSent(false), TEST_SENT_MS)
    return () => window.clearTimeout(timer)
  }, [testSent])

  const refreshChannels = () => queryClient.invalidateQueries({ queryKey: queryKeys.channels })

  const update = useMutation({
    mutationFn: (patch: ChannelPatch) => updateChannel(channel.id, patch),
    onSuccess: refreshChannels,
  })
  const test = useMutation({
    mutationFn: () => sendTestMessage(channel.id),
    onMutate: () => {
      setError(null)
      setTestSent(false)
    },
    onSuccess: () => {
      setTestSent(true)
      void queryClient.invalidateQueries({ queryKey: queryKeys.deliveryLog })
    },
    onError: (cause) => setError(toApiError(cause).detail),
  })

  const toggle = () => {
    setError(null)
    update.mutate({ enabled: !channel.enabled }, { onError: (cause) => setError(toApiError(cause).detail) })
  }

  const save = async (values: ChannelValues) => {
    const patch = channelPatch(channel, values)
    if (Object.keys(patch).length) await update.mutateAsync(patch)
    setEditing(false)
  }

  const remove = async () => {
    await deleteChannel(channel.id)
    await refreshChannels()
  }

  const kind = CHANNEL_KIND_LABELS[channel.kind] ?? channel.kind
  return (
    <li data-testid="channel-row" data-channel={channel.id} className={cn('px-4 py-4 sm:px-5', !channel.enabled && 'bg-slate-50/70')}>
      <div className="flex flex-col gap-3 lg:flex-row lg:items-start">
        <div className="min-w-0 flex-1 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="min-w-0 break-words font-medium text-slate-900">{channel.name}</h3>
            <Badge tone="neutral">{kind}</Badge>
            <TonePill
              label={channel.enabled ? 'Enabled' : 'Disabled'}
              tone={channel.enabled ? 'green' : 'grey'}
              testId="channel-state"
              status={channel.enabled ? 'enabled' : 'disabled'}
            />
          </div>
          <p className="break-all text-sm text-slate-600">{channel.target}</p>
          <p className="text-xs text-slate-500">{eventsSummary(channel.events)}</p>
        </div>
        {canManage && !editing && (
          <div className="flex flex-wrap items-center gap-2">
            <Button variant="outline" size="sm" onClick={() => test.mutate()} disabled={test.isPending}>
              {test.isPending && <Spinner />}
              Send test
            </Button>
            <Button variant="outline" size="sm" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button variant="outline" size="sm" onClick={toggle} disabled={update.isPending}>
              {update.isPending && <Spinner />}
              {channel.enabled ? 'Disable' : 'Enable'}
            </Button>
            <ConfirmDeleteDialog
              name={channel.name}
              title="Delete this channel?"
              consequence="will stop receiving alerts. This cannot be undone."
              onConfirm={remove}
              trigger={
                <Button variant="ghost" size="icon" aria-label={`Delete ${channel.name}`} className="h-8 w-8 text-slate-500 hover:text-red-600">
                  <TrashIcon />
                </Button>
              }
            />
          </div>
        )}
      </div>
      {canManage && (
        <p role="status" className="text-sm font-medium text-emerald-700 lg:text-right [&:not(:empty)]:mt-2">
          {testSent ? 'Test sent' : ''}
        </p>
      )}
      {error && (
        <p role="alert" className="mt-2 text-sm font-medium text-red-600">
          {error}
        </p>
      )}
      {editing && (
        <div className="mt-4 rounded-lg border border-slate-200 bg-white p-4">
          <ChannelForm
            initial={channelValues(channel)}
            editing
            submitLabel="Save channel"
            onSubmit={save}
            onCancel={() => setEditing(false)}
          />
        </div>
      )}
    </li>
  )
}
