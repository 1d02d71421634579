import { z } from 'zod'

export const MAX_INTERVAL_SECONDS = 86_400

export const urlField = z
  .string()
  .trim()
  .min(1, 'Enter the URL to monitor.')
  .max(2048, 'The URL is too long.')
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0
    } catch {
      return false
    }
  }, 'Enter a full http:// or https:// URL.')

export const nameField = z.string().trim().max(100, 'Use at most 100 characters.')

export function intervalField(minSeconds: number) {
  return z
    .number({ error: 'Enter the interval in seconds.' })
    .int('Use whole seconds.')
    .min(minSeconds, `Your plan checks at most every ${minSeconds} seconds.`)
    .max(MAX_INTERVAL_SECONDS, 'Check at least once a day (86,400 seconds).')
}

/** The add form on the dashboard; the plan decides the shortest interval. */
export function addEndpointSchema(minIntervalSeconds: number) {
  return z.object({
    url: urlField,
    name: nameField,
    interval_seconds: intervalField(minIntervalSeconds),
  })
}

export type AddEndpointValues = z.infer<ReturnType<typeof addEndpointSchema>>
export const ADD_ENDPOINT_FIELDS = ['url', 'name', 'interval_seconds'] as const
