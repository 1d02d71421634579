import { isAxiosError } from 'axios'
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form'
import { formatWait } from '@/lib/format'
import type { ApiErrorBody } from './types'

/** A failed API call, reduced to the contract's error shape. */
export interface ApiError {
  status: number | null
  code: string | null
  detail: string
  errors: Record<string, string[]>
}

const FALLBACK_DETAIL = 'Something went wrong. Please try again.'
const NETWORK_DETAIL = 'Cannot reach the server. Check your connection and try again.'

function normaliseErrors(raw: ApiErrorBody['errors']): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  if (!raw || typeof raw !== 'object') return out
  for (const [field, messages] of Object.entries(raw)) {
    const list = Array.isArray(messages) ? messages : [messages]
    const strings = list.filter((m): m is string => typeof m === 'string' && m.length > 0)
    if (strings.length) out[field] = strings
  }
  return out
}

export function toApiError(error: unknown): ApiError {
  if (isAxiosError(error)) {
    if (!error.response) {
      return { status: null, code: 'network_error', detail: NETWORK_DETAIL, errors: {} }
    }
    const body = (error.response.data ?? {}) as ApiErrorBody
    const status = error.response.status
    const detail =
      typeof body.detail === 'string' && body.detail
        ? body.detail
        : status === 429
          ? 'Too many requests. Please wait a moment and try again.'
          : FALLBACK_DETAIL
    return {
      status,
      code: typeof body.code === 'string' ? body.code : null,
      detail,
      errors: normaliseErrors(body.errors),
    }
  }
  return { status: null, code: null, detail: FALLBACK_DETAIL, errors: {} }
}

/**
 * The seconds a 429's `Retry-After` asks to wait (a number of seconds or an HTTP date),
 * or null when the answer has none.
 */
export function retryAfterSeconds(error: unknown, now: number = Date.now()): number | null {
  if (!isAxiosError(error) || !error.response) return null
  const headers = error.response.headers as Record<string, unknown> & { get?: (name: string) => unknown }
  let raw: unknown = typeof headers.get === 'function' ? headers.get('retry-after') : undefined
  if (raw === undefined || raw === null) {
    const key = Object.keys(headers).find((name) => name.toLowerCase() === 'retry-after')
    raw = key ? headers[key] : undefined
  }
  if (typeof raw === 'number') return raw >= 0 ? raw : null
  if (typeof raw !== 'string' || !raw.trim()) return null
  const value = raw.trim()
  if (/^\d+$/.test(value)) return Number.parseInt(value, 10)
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000))
}

/** "<lead> Try again in 45 minutes." from a 429's Retry-After (a vaguer wait without one). */
export function rateLimitMessage(error: unknown, lead = 'Too many attempts.'): string {
  const seconds = retryAfterSeconds(error)
  return seconds === null ? `${lead} Please wait a while and try again.` : `${lead} Try again in ${formatWait(seconds)}.`
}

/**
 * Puts each field error from the API next to its form field and returns the message
 * to show above the form for everything else (or null when every error found a field).
 */
export function applyApiErrors<T extends FieldValues>(
  apiError: ApiError,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): string | null {
  let placed = 0
  const leftovers: string[] = []
  for (const [field, messages] of Object.entries(apiError.errors)) {
    if ((fields as readonly string[]).includes(field)) {
      setError(field as Path<T>, { type: 'server', message: messages.join(' ') }, { shouldFocus: placed === 0 })
      placed += 1
    } else {
      leftovers.push(...messages)
    }
  }
  if (leftovers.length) return leftovers.join(' ')
  return placed > 0 ? null : apiError.detail
}
