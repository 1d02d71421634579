import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { useSession } from '@/stores/session'
import { groupSecret } from './TwoFactorSetupPanel'

const SETUP = '/api/auth/2fa/setup/'
const CONFIRM = '/api/auth/2fa/confirm/'
const DISABLE = '/api/auth/2fa/disable/'
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
const OTPAUTH = `otpauth://totp/StatusWatch:owner%40example.com?secret=${SECRET}&issuer=StatusWatch&algorithm=SHA1&digits=6&period=30`
const CODES = Array.from({ length: 10 }, (_, i) => `abcd${i}-efgh${i}`)

function meWith(twoFactor: boolean | undefined) {
  const reply = meReply()
  return { ...reply, user: { ...reply.user, email_verified: true, two_factor_enabled: twoFactor } }
}

describe('SecurityPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    signIn()
  })
  afterEach(() => mocks.restore())

  it('is a tab of Settings in the main navigation', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meWith(false))
    mocks.http.onGet('/api/endpoints/').reply(200, { count: 0, next: null, previous: null, results: [] })
    mocks.http.onGet('/api/members/').reply(200, { count: 0, next: null, previous: null, results: [] })
    mocks.http.onGet('/api/invitations/').reply(200, { count: 0, next: null, previous: null, results: [] })
    const { router } = renderApp('/dashboard')
    const user = userEvent.setup()
    const nav = (await screen.findAllByRole('navigation', { name: 'Main' }))[0]
    await user.click(within(nav).getByRole('link', { name: 'Settings' }))
    await user.click(within(await screen.findByRole('navigation', { name: 'Settings' })).getByRole('link', { name: 'Security' }))
    expect(await screen.findByRole('heading', { name: 'Security' })).toBeInTheDocument()
    expect(router.state.location.pathname).toBe('/settings/security')
  })

  it('sets two-factor up: QR code and key, a wrong code, then the recovery codes once', async () => {
    let enabled = false
    mocks.http.onGet('/api/auth/me/').reply(() => [200, meWith(enabled)])
    mocks.http.onPost(SETUP).reply(200, { secret: SECRET, otpauth_url: OTPAUTH })
    mocks.http.onPost(CONFIRM).replyOnce(400, { detail: 'That code is not valid.', code: 'invalid_code' })
    mocks.http.onPost(CONFIRM).replyOnce(() => {
      enabled = true
      return [200, { recovery_codes: CODES }]
    })
    renderApp('/settings/security')
    const user = userEvent.setup()

    expect(await screen.findByTestId('two-factor-status')).toHaveTextContent('Off')
    await user.click(screen.getByRole('button', { name: 'Enable two-factor' }))

    const qr = await screen.findByRole('img', { name: /QR code/ })
    expect(qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,/)
    expect(decodeURIComponent(qr.getAttribute('src') ?? '')).toContain('<svg')
    expect(screen.getByTestId('two-factor-secret')).toHaveTextContent(groupSecret(SECRET))

    await user.type(screen.getByLabelText('Code from the app'), '12345')
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor' }))
    expect(await screen.findByText('The code has 6 digits.')).toBeInTheDocument()
    expect(mocks.http.history.post.filter((r) => r.url === CONFIRM)).toHaveLength(0)

    await user.clear(screen.getByLabelText('Code from the app'))
    await user.type(screen.getByLabelText('Code from the app'), '000000')
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Code from the app')).toHaveAccessibleDescription(/That code did not match/),
    )

    await user.clear(screen.getByLabelText('Code from the app'))
    await user.type(screen.getByLabelText('Code from the app'), '123 456')
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor' }))

    const list = await screen.findByRole('list', { name: 'Recovery codes' })
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(CODES)
    expect(JSON.parse(mocks.http.history.post.filter((r) => r.url === CONFIRM)[1].data)).toEqual({ code: '123456' })
    expect(screen.getByText(/only this once/)).toBeInTheDocument()
    const download = screen.getByRole('link', { name: 'Download as a text file' })
    expect(download).toHaveAttribute('download', 'statuswatch-recovery-codes.txt')
    expect(decodeURIComponent(download.getAttribute('href') ?? '')).toContain(CODES[9])
    expect(screen.getByTestId('two-factor-status')).toHaveTextContent('On')

    await user.click(screen.getByRole('button', { name: 'I have saved my codes' }))
    expect(screen.queryByTestId('recovery-codes')).not.toBeInTheDocument()
    expect(screen.queryByText(CODES[0])).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Turn off…' })).toBeInTheDocument()
  })

  it('copes with a /me that does not say: 409 already_enabled offers the way to turn it off', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meWith(undefined))
    mocks.http.onPost(SETUP).reply(409, { detail: 'Two-factor is already on.', code: 'already_enabled' })
    renderApp('/settings/security')
    const user = userEvent.setup()

    await user.click(await screen.findByRole('button', { name: 'Enable two-factor' }))
    expect(await screen.findByText('Two-factor authentication is already on for your account.')).toBeInTheDocument()
    expect(screen.getByTestId('two-factor-status')).toHaveTextContent('On')
    expect(screen.getByRole('button', { name: 'Turn off…' })).toBeInTheDocument()
  })

  it('turns it off with password and code; a wrong password (401) keeps the user signed in', async () => {
    let enabled = true
    mocks.http.onGet('/api/auth/me/').reply(() => [200, meWith(enabled)])
    mocks.http.onPost(DISABLE).replyOnce(401, { detail: 'Wrong password.', code: 'invalid_credentials' })
    mocks.http.onPost(DISABLE).replyOnce(400, { detail: 'That code is not valid.', code: 'invalid_code' })
    mocks.http.onPost(DISABLE).replyOnce(() => {
      enabled = false
      return [200, {}]
    })
    const { router } = renderApp('/settings/security')
    const user = userEvent.setup()

    expect(await screen.findByTestId('two-factor-status')).toHaveTextContent('On')
    await user.click(screen.getByRole('button', { name: 'Turn off…' }))
    const form = screen.getByRole('form', { name: 'Turn off two-factor' })
    await user.click(within(form).getByRole('button', { name: 'Turn off two-factor' }))
    expect(await within(form).findByText('Enter your password.')).toBeInTheDocument()
    expect(within(form).getByText('Enter a code.')).toBeInTheDocument()

    await user.type(within(form).getByLabelText('Password'), 'not-my-password')
    await user.type(within(form).getByLabelText('Code'), '123456')
    await user.click(within(form).getByRole('button', { name: 'Turn off two-factor' }))
    await waitFor(() => expect(within(form).getByLabelText('Password')).toHaveAccessibleDescription('That password is not right.'))
    expect(router.state.location.pathname).toBe('/settings/security')
    expect(useSession.getState()).toMatchObject({ access: 'access-1', refresh: 'refresh-1' })
    expect(mocks.refresh.history.post).toHaveLength(0)

    await user.type(within(form).getByLabelText('Password'), 'Correct-Horse-9')
    await user.click(within(form).getByRole('button', { name: 'Turn off two-factor' }))
    await waitFor(() => expect(within(form).getByLabelText('Code')).toHaveAccessibleDescription(/That code is not valid/))

    await user.type(within(form).getByLabelText('Code'), 'abcde-fghij')
    await user.click(within(form).getByRole('button', { name: 'Turn off two-factor' }))
    expect(await screen.findByText(/Two-factor authentication is off/)).toBeInTheDocument()
    expect(screen.getByTestId('two-factor-status')).toHaveTextContent('Off')
    expect(JSON.parse(mocks.http.history.post.filter((r) => r.url === DISABLE)[2].data)).toEqual({
      password: 'Correct-Horse-9',
      code: 'abcde-fghij',
    })
  })

  it('cancelling the set-up goes back without turning anything on', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, meWith(false))
    mocks.http.onPost(SETUP).reply(200, { secret: SECRET, otpauth_url: OTPAUTH })
    renderApp('/settings/security')
    const user = userEvent.setup()

    await user.click(await screen.findByRole('button', { name: 'Enable two-factor' }))
    await screen.findByTestId('two-factor-setup')
    await user.click(screen.getByRole('button', { name: 'Cancel' }))
    expect(screen.queryByTestId('two-factor-setup')).not.toBeInTheDocument()
    expect(screen.getByTestId('two-factor-status')).toHaveTextContent('Off')
  })
})

describe('groupSecret', () => {
  it('groups the key in fours', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP')
    expect(groupSecret('ABCDEF')).toBe('ABCD EF')
  })
})
