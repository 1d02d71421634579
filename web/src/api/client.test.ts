import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest'
import { api, NoSessionError, REFRESH_PATH, setSessionExpiredHandler } from './client'
import { mockApi, signIn } from '@/test/renderApp'
import { useSession } from '@/stores/session'

const ok = { count: 0, next: null, previous: null, results: [] }

describe('api client token refresh', () => {
  let mocks: ReturnType<typeof mockApi>
  let expired: Mock<() => void>

  beforeEach(() => {
    mocks = mockApi()
    expired = vi.fn<() => void>()
    setSessionExpiredHandler(expired)
    signIn({ access: 'old-access', refresh: 'refresh-1' })
  })

  afterEach(() => mocks.restore())

  /** Answers 200 only to the new access token, 401 to anything else. */
  function protectedRoute(path: string) {
    mocks.http.onGet(path).reply((config) =>
      config.headers?.Authorization === 'Bearer new-access' ? [200, ok] : [401, { detail: 'Token expired', code: 'token_not_valid' }],
    )
  }

  it('sends the access token as a Bearer header', async () => {
    mocks.http.onGet('/api/endpoints/').reply((config) => [config.headers?.Authorization === 'Bearer old-access' ? 200 : 401, ok])
    await expect(api.get('/api/endpoints/')).resolves.toMatchObject({ status: 200 })
  })

  it('refreshes once on a 401, stores the rotated tokens and retries the request', async () => {
    protectedRoute('/api/endpoints/')
    mocks.refresh.onPost(REFRESH_PATH, { refresh: 'refresh-1' }).reply(200, { access: 'new-access', refresh: 'refresh-2' })

    const response = await api.get('/api/endpoints/')

    expect(response.status).toBe(200)
    expect(mocks.refresh.history.post).toHaveLength(1)
    expect(mocks.http.history.get).toHaveLength(2)
    expect(useSession.getState()).toMatchObject({ access: 'new-access', refresh: 'refresh-2' })
    expect(expired).not.toHaveBeenCalled()
  })

  it('makes concurrent 401s share a single refresh call', async () => {
    protectedRoute('/api/endpoints/')
    protectedRoute('/api/auth/me/')
    protectedRoute('/api/endpoints/abc/')
    mocks.refresh
      .onPost(REFRESH_PATH)
      .reply(() => new Promise((resolve) => setTimeout(() => resolve([200, { access: 'new-access', refresh: 'refresh-2' }]), 30)))

    const responses = await Promise.all([
      api.get('/api/endpoints/'),
      api.get('/api/auth/me/'),
      api.get('/api/endpoints/abc/'),
    ])

    expect(responses.map((r) => r.status)).toEqual([200, 200, 200])
    expect(mocks.refresh.history.post).toHaveLength(1)
    expect(useSession.getState().refresh).toBe('refresh-2')
  })

  it('uses tokens another tab has already rotated instead of spending the refresh token again', async () => {
    protectedRoute('/api/endpoints/')
    const stored = JSON.parse(localStorage.getItem('statuswatch.session') as string)
    stored.state = { ...stored.state, access: 'new-access', refresh: 'refresh-2' }
    localStorage.setItem('statuswatch.session', JSON.stringify(stored))

    await expect(api.get('/api/endpoints/')).resolves.toMatchObject({ status: 200 })
    expect(mocks.refresh.history.post).toHaveLength(0)
    expect(useSession.getState().refresh).toBe('refresh-2')
  })

  it('does not refresh twice for the same request when the retry is refused too', async () => {
    mocks.http.onGet('/api/endpoints/').reply(401, { detail: 'No', code: 'not_authenticated' })
    mocks.refresh.onPost(REFRESH_PATH).reply(200, { access: 'new-access', refresh: 'refresh-2' })

    await expect(api.get('/api/endpoints/')).rejects.toMatchObject({ response: { status: 401 } })
    expect(mocks.refresh.history.post).toHaveLength(1)
    expect(mocks.http.history.get).toHaveLength(2)
  })

  it('clears the session and redirects to sign-in when the refresh fails', async () => {
    protectedRoute('/api/endpoints/')
    mocks.refresh.onPost(REFRESH_PATH).reply(401, { detail: 'Token is blacklisted', code: 'token_not_valid' })

    await expect(api.get('/api/endpoints/')).rejects.toMatchObject({ response: { status: 401 } })

    expect(useSession.getState()).toMatchObject({ access: null, refresh: null, user: null, tenant: null })
    expect(expired).toHaveBeenCalled()
    expect(mocks.http.history.get).toHaveLength(1)
  })

  it('treats a 401 from the sign-in call as an answer, not an expired session', async () => {
    mocks.http.onPost('/api/auth/token/').reply(401, { detail: 'Invalid', code: 'invalid_credentials' })

    await expect(api.post('/api/auth/token/', { email: 'a@b.co', password: 'x' })).rejects.toMatchObject({
      response: { status: 401 },
    })
    expect(mocks.refresh.history.post).toHaveLength(0)
    expect(mocks.http.history.post[0].headers?.Authorization).toBeUndefined()
    expect(expired).not.toHaveBeenCalled()
  })

  it('keeps the session on a wrong password when turning two-factor off (401, not a token code)', async () => {
    mocks.http.onPost('/api/auth/2fa/disable/').reply(401, { detail: 'Wrong password.', code: 'invalid_credentials' })

    await expect(api.post('/api/auth/2fa/disable/', { password: 'x', code: '123456' })).rejects.toMatchObject({
      response: { status: 401 },
    })
    expect(mocks.refresh.history.post).toHaveLength(0)
    expect(mocks.http.history.post).toHaveLength(1)
    expect(mocks.http.history.post[0].headers?.Authorization).toBe('Bearer old-access')
    expect(useSession.getState()).toMatchObject({ access: 'old-access', refresh: 'refresh-1' })
    expect(expired).not.toHaveBeenCalled()
  })

  it('still refreshes an expired access token on the two-factor disable call', async () => {
    mocks.http.onPost('/api/auth/2fa/disable/').reply((config) =>
      config.headers?.Authorization === 'Bearer new-access'
        ? [200, {}]
        : [401, { detail: 'Given token not valid for any token type.', code: 'token_not_valid' }],
    )
    mocks.refresh.onPost(REFRESH_PATH).reply(200, { access: 'new-access', refresh: 'refresh-2' })

    await expect(api.post('/api/auth/2fa/disable/', { password: 'x', code: '1' })).resolves.toMatchObject({ status: 200 })
    expect(mocks.refresh.history.post).toHaveLength(1)
    expect(expired).not.toHaveBeenCalled()
  })

  it('sends the links from e-mails and the second sign-in step without credentials', async () => {
    for (const path of ['/api/auth/verify-email/', '/api/auth/password-reset/', '/api/auth/password-reset/confirm/', '/api/auth/token/2fa/']) {
      mocks.http.onPost(path).reply(401, { detail: 'No', code: 'invalid_code' })
      await expect(api.post(path, {})).rejects.toMatchObject({ response: { status: 401 } })
    }
    expect(mocks.http.history.post.map((r) => r.headers?.Authorization)).toEqual([undefined, undefined, undefined, undefined])
    expect(mocks.refresh.history.post).toHaveLength(0)
    expect(expired).not.toHaveBeenCalled()
  })
})

describe('api client without a session', () => {
  it('does not send protected requests at all', async () => {
    const mocks = mockApi()
    mocks.http.onGet('/api/auth/me/').reply(401, {})
    await expect(api.get('/api/auth/me/')).rejects.toBeInstanceOf(NoSessionError)
    expect(mocks.http.history.get).toHaveLength(0)
    mocks.restore()
  })

  it('lets the public plans list through, without credentials', async () => {
    const mocks = mockApi()
    mocks.http.onGet('/api/billing/plans/').reply(200, [])
    await expect(api.get('/api/billing/plans/')).resolves.toMatchObject({ status: 200 })
    expect(mocks.http.history.get[0].headers?.Authorization).toBeUndefined()
    mocks.restore()
  })
})
