import { AxiosError, AxiosHeaders } from 'axios'
import { describe, expect, it, vi } from 'vitest'
import { applyApiErrors, rateLimitMessage, retryAfterSeconds, toApiError } from './errors'

function axiosError(status: number, data: unknown, headers: Record<string, string> | AxiosHeaders = {}) {
  const config = { headers: new AxiosHeaders() }
  return new AxiosError('failed', 'ERR_BAD_REQUEST', config, null, {
    status,
    statusText: '',
    headers,
    config,
    data,
  })
}

describe('toApiError', () => {
  it('reads the contract error shape', () => {
    const error = toApiError(axiosError(400, { detail: 'Invalid input.', code: 'invalid', errors: { url: ['Bad URL'] } }))
    expect(error).toEqual({ status: 400, code: 'invalid', detail: 'Invalid input.', errors: { url: ['Bad URL'] } })
  })

  it('accepts a single string as a field error', () => {
    expect(toApiError(axiosError(400, { errors: { name: 'Too long' } })).errors).toEqual({ name: ['Too long'] })
  })

  it('explains a network failure', () => {
    const error = toApiError(new AxiosError('Network Error', 'ERR_NETWORK'))
    expect(error.status).toBeNull()
    expect(error.detail).toMatch(/cannot reach the server/i)
  })
})

describe('applyApiErrors', () => {
  it('puts known fields on the form and returns the rest for a banner', () => {
    const setError = vi.fn()
    const banner = applyApiErrors(
      { status: 400, code: 'invalid', detail: 'Invalid input.', errors: { email: ['Taken'], non_field_errors: ['Try later'] } },
      setError,
      ['email', 'password'],
    )
    expect(setError).toHaveBeenCalledWith('email', { type: 'server', message: 'Taken' }, { shouldFocus: true })
    expect(banner).toBe('Try later')
  })

  it('returns the detail when no field is at fault', () => {
    const banner = applyApiErrors({ status: 429, code: 'throttled', detail: 'Slow down', errors: {} }, vi.fn(), ['email'])
    expect(banner).toBe('Slow down')
  })
})

describe('retryAfterSeconds', () => {
  const limited = { detail: 'Throttled.', code: 'rate_limited' }

  it('reads seconds, in any header spelling', () => {
    expect(retryAfterSeconds(axiosError(429, limited, { 'retry-after': '120' }))).toBe(120)
    expect(retryAfterSeconds(axiosError(429, limited, { 'Retry-After': '5' }))).toBe(5)
    expect(retryAfterSeconds(axiosError(429, limited, new AxiosHeaders({ 'Retry-After': '60' })))).toBe(60)
  })

  it('reads an HTTP date', () => {
    const now = Date.parse('2026-01-01T12:00:00Z')
    expect(retryAfterSeconds(axiosError(429, limited, { 'Retry-After': 'Thu, 01 Jan 2026 12:10:00 GMT' }), now)).toBe(600)
  })

  it('is null without a usable header', () => {
    expect(retryAfterSeconds(axiosError(429, limited))).toBeNull()
    expect(retryAfterSeconds(axiosError(429, limited, { 'Retry-After': 'soon' }))).toBeNull()
    expect(retryAfterSeconds(new Error('x'))).toBeNull()
  })

  it('words the wait', () => {
    expect(rateLimitMessage(axiosError(429, limited, { 'Retry-After': '3599' }), 'Too many.')).toBe('Too many. Try again in 60 minutes.')
    expect(rateLimitMessage(axiosError(429, limited), 'Too many.')).toBe('Too many. Please wait a while and try again.')
  })
})
