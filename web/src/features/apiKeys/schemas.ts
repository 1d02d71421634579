import * as z from 'zod/mini'
import type { ApiKeyInput } from '@/api/apiKeys'
import { endOfDayIso, isDate, todayDate } from '@/lib/dates'

export const API_KEY_SCOPES = ['read', 'write'] as const

export const apiKeySchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1, 'Give the key a name.'), z.maxLength(100, 'Use at most 100 characters.')),
  scope: z.enum(API_KEY_SCOPES, { error: 'Choose read or write.' }),
  /** A date input's value: "" for a key that never expires. */
  expires_on: z.string().check(
    z.refine((v) => v === '' || isDate(v), 'Enter a date.'),
    z.refine((v) => v === '' || !isDate(v) || v >= todayDate(), 'Choose today or a later day.'),
  ),
})

export type ApiKeyValues = z.infer<typeof apiKeySchema>

export const NEW_API_KEY: ApiKeyValues = { name: '', scope: 'read', expires_on: '' }

/** The key expires at the end of the chosen day, in the browser's time zone. */
export function apiKeyInput(values: ApiKeyValues): ApiKeyInput {
  const expires = values.expires_on ? endOfDayIso(values.expires_on) : undefined
  return { name: values.name, scope: values.scope, ...(expires ? { expires_at: expires } : {}) }
}

export const SCOPE_LABELS: Record<(typeof API_KEY_SCOPES)[number], { label: string; hint: string }> = {
  read: { label: 'Read', hint: 'GET requests only: lists, details, reports.' },
  write: { label: 'Write', hint: 'Everything a member may do: endpoints, incidents, maintenance.' },
}
