import { AxiosError, AxiosHeaders } from 'axios'
import { describe, expect, it, vi } from 'vitest'
import { applyApiErrors, toApiError } from './errors'

function axiosError(status: number, data: unknown) {
  const config = { headers: new AxiosHeaders() }
  return new AxiosError('failed', 'ERR_BAD_REQUEST', config, null, {
    status,
    statusText: '',
    headers: {},
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
