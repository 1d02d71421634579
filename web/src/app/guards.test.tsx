import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import { emptyPage, meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { safeRedirectTarget } from './guards'

describe('route guard', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    mocks.http.onGet('/api/auth/me/').reply(200, meReply())
    mocks.http.onGet('/api/endpoints/').reply(200, emptyPage)
  })
  afterEach(() => mocks.restore())

  it('sends an unauthenticated visitor of /dashboard to /login, remembering the page', async () => {
    const { router } = renderApp('/dashboard')
    expect(await screen.findByRole('heading', { name: 'Sign in to StatusWatch' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/login')
    expect(router.state.location.search).toEqual({ redirect: '/dashboard' })
    expect(mocks.http.history.get).toHaveLength(0)
  })

  it('guards every authenticated page', async () => {
    const { router } = renderApp('/endpoints/123')
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'))
  })

  it('sends / to /login without a session and to /dashboard with one', async () => {
    const first = renderApp('/')
    await waitFor(() => expect(first.router.state.location.pathname).toBe('/login'))
    first.unmount()

    signIn()
    const second = renderApp('/')
    await waitFor(() => expect(second.router.state.location.pathname).toBe('/dashboard'))
  })

  it('lets a signed-in user through and keeps them off /login', async () => {
    signIn()
    const { router } = renderApp('/login')
    expect(await screen.findByRole('heading', { name: 'Endpoints' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/dashboard')
    expect(screen.getByRole('button', { name: 'Log out' })).toBeInTheDocument()
  })

  it('follows only same-origin redirects after sign-in', () => {
    expect(safeRedirectTarget('/endpoints/1')).toBe('/endpoints/1')
    expect(safeRedirectTarget('//evil.example')).toBe('/dashboard')
    expect(safeRedirectTarget('https://evil.example')).toBe('/dashboard')
    expect(safeRedirectTarget(undefined)).toBe('/dashboard')
  })
})
