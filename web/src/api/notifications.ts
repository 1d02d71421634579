import { api } from './client'
import type {
  AlertType,
  Channel,
  ChannelKind,
  CreatedChannel,
  DeliveryLogEntry,
  NotificationSettings,
  Paginated,
} from './types'

export interface ChannelInput {
  kind: ChannelKind
  name: string
  target: string
  /** The server subscribes a channel to all six alert types when this is left out. */
  events?: AlertType[]
  enabled?: boolean
}

export type ChannelPatch = Partial<Pick<ChannelInput, 'name' | 'target' | 'events' | 'enabled'>>

export interface DeliveryLogFilters {
  page: number
  pageSize: number
  /** One channel's deliveries; all channels when left out. */
  channel?: string | null
}

const CHANNELS_PATH = '/api/notifications/channels/'
const channelPath = (id: string) => `${CHANNELS_PATH}${encodeURIComponent(id)}/`

export async function listChannels(page: number, pageSize: number): Promise<Paginated<Channel>> {
  const { data } = await api.get<Paginated<Channel>>(CHANNELS_PATH, { params: { page, page_size: pageSize } })
  return data
}

/** A webhook channel's answer carries its signing secret; this is the only time it is sent. */
export async function createChannel(input: ChannelInput): Promise<CreatedChannel> {
  const { data } = await api.post<CreatedChannel>(CHANNELS_PATH, input)
  return data
}

export async function updateChannel(id: string, patch: ChannelPatch): Promise<Channel> {
  const { data } = await api.patch<Channel>(channelPath(id), patch)
  return data
}

export async function deleteChannel(id: string): Promise<void> {
  await api.delete(channelPath(id))
}

/** Queues a test message on the channel (202); it shows up in the delivery log. */
export async function sendTestMessage(id: string): Promise<void> {
  await api.post(`${channelPath(id)}test/`)
}

export async function getNotificationSettings(): Promise<NotificationSettings> {
  const { data } = await api.get<NotificationSettings>('/api/notifications/settings/')
  return data
}

export async function updateNotificationSettings(settings: NotificationSettings): Promise<NotificationSettings> {
  const { data } = await api.put<NotificationSettings>('/api/notifications/settings/', settings)
  return data
}

/** One row per delivery: `attempts` counts the tries, `error` is the last one. */
export async function listDeliveryLog({ page, pageSize, channel }: DeliveryLogFilters): Promise<Paginated<DeliveryLogEntry>> {
  const { data } = await api.get<Paginated<DeliveryLogEntry>>('/api/notifications/log/', {
    params: { page, page_size: pageSize, ...(channel ? { channel } : {}) },
  })
  return data
}
