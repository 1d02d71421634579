import * as z from 'zod/mini'

// Field rules shared by the add form (dashboard) and the settings form (endpoint page).

// Limits of the REST contract itself, the same on every plan (api.md, "Intervals").
export const MAX_INTERVAL_SECONDS = 86_400
/** What the server uses when a new endpoint names no interval. */
export const DEFAULT_INTERVAL_SECONDS = 60

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

/**
 * `minSeconds` is the plan's shortest interval (from the plans API); undefined while it
 * is not known, and then the server alone checks the lower bound.
 */
export function intervalField(minSeconds: number | undefined) {
  return z
    .number({ error: 'Enter the interval in seconds.' })
    .check(
      z.refine(Number.isInteger, 'Use whole seconds.'),
      ...(minSeconds === undefined ? [] : [z.gte(minSeconds, `Your plan checks at most every ${minSeconds} seconds.`)]),
      z.lte(MAX_INTERVAL_SECONDS, 'Check at least once a day (86,400 seconds).'),
    )
}
