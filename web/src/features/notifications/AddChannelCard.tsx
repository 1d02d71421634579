import { useState } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { createChannel } from '@/api/notifications'
import { queryKeys } from '@/api/queryKeys'
import { Alert } from '@/components/ui/alert'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { ChannelForm } from './ChannelForm'
import { NEW_CHANNEL, type ChannelValues } from './schemas'
import { SecretNotice } from './SecretNotice'

export function AddChannelCard() {
  const queryClient = useQueryClient()
  const [secret, setSecret] = useState<{ channelName: string; secret: string } | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const create = useMutation({
    mutationFn: createChannel,
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.channels }),
  })

  const add = async (values: ChannelValues) => {
    setNotice(null)
    setSecret(null)
    const created = await create.mutateAsync(values)
    // Only a webhook has a secret, and this answer is the only time it is sent.
    if (created.secret) setSecret({ channelName: created.name, secret: created.secret })
    else setNotice(`Added ${created.name}. Use "Send test" to check it.`)
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Add a channel</CardTitle>
        <CardDescription>E-mail, Slack or a webhook of your own; each channel picks the events it wants.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {secret && <SecretNotice {...secret} onDone={() => setSecret(null)} />}
        {notice && <Alert tone="success">{notice}</Alert>}
        <ChannelForm initial={NEW_CHANNEL} submitLabel="Add channel" onSubmit={add} resetOnSuccess />
      </CardContent>
    </Card>
  )
}
