import * as z from 'zod/mini'
import type { ChannelPatch } from '@/api/notifications'
import { ALERT_TYPES, type Channel, type ChannelKind } from '@/api/types'
import { isHttpUrl } from '@/lib/redirect'

export const CHANNEL_KINDS = ['email', 'slack', 'webhook'] as const satisfies readonly ChannelKind[]

const channelFields = z.object({
  kind: z.enum(CHANNEL_KINDS, { error: 'Choose e-mail, Slack or webhook.' }),
  name: z
    .string()
    .check(z.trim(), z.minLength(1, 'Give the channel a name.'), z.maxLength(200, 'Use at most 200 characters.')),
  target: z.string().check(z.trim(), z.minLength(1, 'Enter where to send the alerts.'), z.maxLength(2048, 'This is too long.')),
  events: z.array(z.enum(ALERT_TYPES)).check(z.minLength(1, 'Choose at least one event.')),
  enabled: z.boolean(),
})

// Compared once kind and target are each valid, whatever the other fields hold.
const targetReady = (payload: { value: unknown }) =>
  z.pick(channelFields, { kind: true, target: true }).safeParse(payload.value).success

/**
 * The add and edit forms. The server has the last word on the target: Slack and webhook
 * URLs must be https:// and public, and it may accept http:// for addresses its operator
 * allows, so only the shape is checked here.
 */
export const channelSchema = channelFields.check(
  z.refine((v) => v.kind !== 'email' || z.regexes.email.test(v.target), {
    message: 'Enter a valid e-mail address.',
    path: ['target'],
    when: targetReady,
  }),
  z.refine((v) => v.kind === 'email' || isHttpUrl(v.target), {
    message: 'Enter a full https:// URL.',
    path: ['target'],
    when: targetReady,
  }),
)

export type ChannelValues = z.infer<typeof channelSchema>
export const CHANNEL_FIELDS = ['kind', 'name', 'target', 'events', 'enabled'] as const

export const NEW_CHANNEL: ChannelValues = { kind: 'email', name: '', target: '', events: [...ALERT_TYPES], enabled: true }

export function channelValues(channel: Channel): ChannelValues {
  return {
    kind: channel.kind,
    name: channel.name,
    target: channel.target,
    events: ALERT_TYPES.filter((type) => channel.events.includes(type)),
    enabled: channel.enabled,
  }
}

/** Only what the edit changed goes into the PATCH. */
export function channelPatch(channel: Channel, values: ChannelValues): ChannelPatch {
  const patch: ChannelPatch = {}
  if (values.name !== channel.name) patch.name = values.name
  if (values.target !== channel.target) patch.target = values.target
  const before = channelValues(channel).events
  if (values.events.length !== before.length || values.events.some((type) => !before.includes(type))) patch.events = values.events
  if (values.enabled !== channel.enabled) patch.enabled = values.enabled
  return patch
}

export const TARGET_FIELD: Record<ChannelKind, { label: string; placeholder: string; hint: string; type: 'email' | 'url' }> = {
  email: { label: 'E-mail address', placeholder: 'oncall@example.com', hint: 'Alerts arrive as e-mail.', type: 'email' },
  slack: {
    label: 'Slack webhook URL',
    placeholder: 'https://hooks.slack.com/services/…',
    hint: 'An incoming-webhook URL from your Slack workspace (https://).',
    type: 'url',
  },
  webhook: {
    label: 'Webhook URL',
    placeholder: 'https://example.com/hooks/statuswatch',
    hint: 'A public https:// URL. Each POST is signed with StatusWatch-Signature.',
    type: 'url',
  },
}

export const settingsSchema = z.object({
  debounce_minutes: z
    .number({ error: 'Enter a number of minutes.' })
    .check(
      z.refine(Number.isInteger, 'Use whole minutes.'),
      z.gte(0, 'Use 0 to 1,440 minutes.'),
      z.lte(1440, 'Use 0 to 1,440 minutes.'),
    ),
  storm_threshold: z
    .number({ error: 'Enter a number of changes.' })
    .check(
      z.refine(Number.isInteger, 'Use a whole number.'),
      z.gte(1, 'Use 1 to 1,000 changes.'),
      z.lte(1000, 'Use 1 to 1,000 changes.'),
    ),
})

export type SettingsValues = z.infer<typeof settingsSchema>
export const SETTINGS_FIELDS = ['debounce_minutes', 'storm_threshold'] as const
