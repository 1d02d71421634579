import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { listOf } from '@/test/alerts'
import { mockApi, renderApp, signIn, staffSignIn } from '@/test/renderApp'
import { SESSION_STORAGE_KEY, useSession } from '@/stores/session'
import { STAFF_SESSION_KEY, staffTokenExpiry, useStaffSession } from '@/stores/staffSession'

const TOKEN = '/api/staff/token/'
const TENANTS = '/api/staff/tenants/'

function jwt(exp: number) {
  const part = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
  return `${part({ alg: 'ES256' })}.${part({ sub: 'staff-1', exp })}.sig`
}

async function signInAsStaff(code = '') {
  const user = userEvent.setup()
  await user.type(await screen.findByLabelText('E-mail', {}, { timeout: 10_000 }), 'support@statuswatch.example')
  await user.type(screen.getByLabelText('Password'), 'Correct-Horse-9')
  if (code) await user.type(screen.getByLabelText('Authentication code'), code)
  await user.click(screen.getByRole('button', { name: 'Sign in' }))
  return user
}

describe('staff sign-in and session', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
  })
  afterEach(() => mocks.restore())

  it('sends the console to /staff/login without a staff token, even with a tenant session', async () => {
    signIn()
    const { router } = renderApp('/staff/tenants?status=suspended')
    expect(await screen.findByRole('heading', { name: 'Staff sign-in' }, { timeout: 10_000 })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/staff/login')
    expect(router.state.location.search).toEqual({ redirect: '/staff/tenants?status=suspended' })
    expect(mocks.staff.history.get).toHaveLength(0)
  })

  it('signs in with its own token, apart from the tenant session, and goes where it was heading', async () => {
    signIn()
    const access = jwt(Math.floor(Date.now() / 1000) + 900)
    mocks.staff.onPost(TOKEN).reply(200, { access })
    mocks.staff.onGet(TENANTS).reply(200, listOf([]))
    const { router } = renderApp('/staff/login?redirect=%2Fstaff%2Ftenants')
    await signInAsStaff()

    await waitFor(() => expect(router.state.location.pathname).toBe('/staff/tenants'))
    expect(JSON.parse(mocks.staff.history.post[0].data)).toEqual({ email: 'support@statuswatch.example', password: 'Correct-Horse-9' })
    expect(mocks.staff.history.post[0].headers?.Authorization).toBeUndefined()
    await waitFor(() => expect(mocks.staff.history.get).toHaveLength(1))
    expect(mocks.staff.history.get[0].headers?.Authorization).toBe(`Bearer ${access}`)
    // Stored for this tab only, and the tenant session is as it was.
    expect(JSON.parse(sessionStorage.getItem(STAFF_SESSION_KEY) ?? '{}').state.access).toBe(access)
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).not.toContain(access)
    expect(useSession.getState().access).toBe('access-1')
    expect(await screen.findByTestId('staff-email')).toHaveTextContent('support@statuswatch.example')
  })

  it('sends the code when one is typed and explains a wrong one, a missing one and a wrong password', async () => {
    mocks.staff
      .onPost(TOKEN)
      .replyOnce(401, { detail: 'Invalid e-mail or password.', code: 'invalid_credentials' })
      .onPost(TOKEN)
      .replyOnce(401, { detail: 'A code is required.', code: 'code_required' })
      .onPost(TOKEN)
      .replyOnce(401, { detail: 'That code is not valid.', code: 'invalid_code' })
    renderApp('/staff/login')
    const user = await signInAsStaff()
    expect(await screen.findByText('Invalid e-mail or password.')).toBeInTheDocument()

    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Authentication code')).toHaveAccessibleDescription('Enter the 6-digit code from your authenticator app.'),
    )
    await user.type(screen.getByLabelText('Authentication code'), '123 456')
    await user.click(screen.getByRole('button', { name: 'Sign in' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Authentication code')).toHaveAccessibleDescription('That code is not valid. Use the newest code from your app.'),
    )
    expect(JSON.parse(mocks.staff.history.post[2].data)).toEqual({ email: 'support@statuswatch.example', password: 'Correct-Horse-9', code: '123456' })
    expect(useStaffSession.getState().access).toBeNull()
  })

  it('goes back to /staff/login when a staff call answers 401, and forgets the token', async () => {
    staffSignIn()
    mocks.staff.onGet(TENANTS).reply(401, { detail: 'Token expired.', code: 'not_authenticated' })
    const { router } = renderApp('/staff/tenants')
    expect(await screen.findByRole('heading', { name: 'Staff sign-in' }, { timeout: 10_000 })).toBeInTheDocument()
    expect(router.state.location.search).toEqual({ redirect: '/staff/tenants' })
    expect(useStaffSession.getState().access).toBeNull()
  })

  it('treats a token past its 15 minutes as gone, without asking the API', async () => {
    useStaffSession.setState({ access: 'old', email: 'support@statuswatch.example', expiresAt: Date.now() - 1000 })
    renderApp('/staff/reports')
    expect(await screen.findByRole('heading', { name: 'Staff sign-in' }, { timeout: 10_000 })).toBeInTheDocument()
    expect(mocks.staff.history.get).toHaveLength(0)
  })

  it('logs out of the console only', async () => {
    signIn()
    staffSignIn()
    mocks.staff.onGet(TENANTS).reply(200, listOf([]))
    renderApp('/staff/tenants')
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Log out' }, { timeout: 10_000 }))
    expect(await screen.findByRole('heading', { name: 'Staff sign-in' })).toBeInTheDocument()
    expect(useStaffSession.getState().access).toBeNull()
    expect(useSession.getState().refresh).toBe('refresh-1')
  })

  it('reads the expiry from the token, never later than 15 minutes', () => {
    const now = 1_700_000_000_000
    expect(staffTokenExpiry(jwt(now / 1000 + 600), now)).toBe(now + 600_000)
    expect(staffTokenExpiry(jwt(now / 1000 + 3600), now)).toBe(now + 900_000)
    expect(staffTokenExpiry('opaque-token', now)).toBe(now + 900_000)
  })
})
