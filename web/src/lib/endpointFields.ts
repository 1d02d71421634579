import * as z from 'zod/mini'

// Field rules shared by the add form (dashboard) and the settings form (endpoint page).

export const MAX_INTERVAL_SECONDS = 86_400

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0
  } catch {
    return false
  }
}

export const urlField = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'Enter the URL to monitor.'),
    z.maxLength(2048, 'The URL is too long.'),
    z.refine(isHttpUrl, 'Enter a full http:// or https:// URL.'),
  )

export const nameField = z.string().check(z.trim(), z.maxLength(200, 'Use at most 200 characters.'))

export function intervalField(minSeconds: number) {
  return z
    .number({ error: 'Enter the interval in seconds.' })
    .check(
      z.refine(Number.isInteger, 'Use whole seconds.'),
      z.gte(minSeconds, `Your plan checks at most every ${minSeconds} seconds.`),
      z.lte(MAX_INTERVAL_SECONDS, 'Check at least once a day (86,400 seconds).'),
    )
}
