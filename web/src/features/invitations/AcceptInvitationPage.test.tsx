import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { mockApi, renderApp, signIn } from '@/test/renderApp'
import { useSession } from '@/stores/session'

const STRONG = 'Correct-Horse-9'
const PATH = '/api/invitations/accept/'
const JOINED = {
  tenant: { id: 't1', name: 'Acme', schema: 't_acme' },
  user: { id: 'u9', email: 'new@example.com', role: 'member', email_verified: true },
}

async function choose(password: string, confirm: string) {
  const user = userEvent.setup()
  await user.type(await screen.findByLabelText('Password', {}, { timeout: 10_000 }), password)
  await user.type(screen.getByLabelText('Confirm password'), confirm)
  await user.click(screen.getByRole('button', { name: 'Accept and create account' }))
  return user
}

describe('AcceptInvitationPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
  })
  afterEach(() => mocks.restore())

  it('applies the sign-up password policy, with its checklist, before sending', async () => {
    renderApp('/invitations/accept?token=tok-1')
    expect(await screen.findByRole('list', { name: 'Password requirements' }, { timeout: 10_000 })).toBeInTheDocument()
    const user = await choose('short', 'short')
    expect(await screen.findByText('Use at least 12 characters.')).toBeInTheDocument()
    await user.clear(screen.getByLabelText('Password'))
    await user.type(screen.getByLabelText('Password'), STRONG)
    await user.click(screen.getByRole('button', { name: 'Accept and create account' }))
    expect(await screen.findByText('The passwords do not match.')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
  })

  it('sends the token exactly as the link has it, without credentials, then opens sign-in with a notice', async () => {
    mocks.http.onPost(PATH).reply(201, JOINED)
    const { router } = renderApp('/invitations/accept?token=00123')
    await choose(STRONG, STRONG)

    expect(await screen.findByTestId('login-notice')).toHaveTextContent('Welcome to the team')
    expect(router.state.location.pathname).toBe('/login')
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({ token: '00123', password: STRONG, password_confirm: STRONG })
    expect(mocks.http.history.post[0].headers?.Authorization).toBeUndefined()
  })

  it('keeps a session held in this browser and says how to switch to the new account', async () => {
    signIn()
    mocks.http.onPost(PATH).reply(201, JOINED)
    renderApp('/invitations/accept?token=tok-1')
    await choose(STRONG, STRONG)

    const done = await screen.findByTestId('invitation-accepted')
    expect(done).toHaveTextContent('new@example.com')
    expect(done).toHaveTextContent('still signed in as owner@example.com')
    expect(screen.getByRole('heading', { name: 'You have joined Acme' })).toBeInTheDocument()
    expect(useSession.getState().refresh).toBe('refresh-1')
  })

  it('explains an expired invitation (token_expired)', async () => {
    mocks.http.onPost(PATH).reply(400, { detail: 'The invitation has expired.', code: 'token_expired' })
    renderApp('/invitations/accept?token=tok-1')
    await choose(STRONG, STRONG)
    expect(await screen.findByTestId('invitation-link-problem')).toHaveAttribute('data-problem', 'expired')
    expect(screen.getByRole('heading', { name: 'This invitation has expired' })).toBeInTheDocument()
    expect(screen.getByText(/Invitation links work for 7 days/)).toBeInTheDocument()
  })

  it('explains a used or unknown invitation (invalid_token)', async () => {
    mocks.http.onPost(PATH).reply(400, { detail: 'Invalid token.', code: 'invalid_token' })
    renderApp('/invitations/accept?token=tok-1')
    await choose(STRONG, STRONG)
    expect(await screen.findByTestId('invitation-link-problem')).toHaveAttribute('data-problem', 'invalid')
  })

  it('sends someone who is a member already (409 already_member) to sign in', async () => {
    mocks.http.onPost(PATH).reply(409, { detail: 'Conflict.', code: 'already_member' })
    const { router } = renderApp('/invitations/accept?token=tok-1')
    const user = await choose(STRONG, STRONG)
    expect(await screen.findByTestId('invitation-link-problem')).toHaveAttribute('data-problem', 'member')
    await user.click(screen.getByRole('link', { name: 'Sign in' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'))
  })

  it('puts the policy errors from the API under their fields', async () => {
    mocks.http.onPost(PATH).reply(400, { detail: 'Invalid input.', code: 'invalid', errors: { password: ['This password is too common.'] } })
    renderApp('/invitations/accept?token=tok-1')
    await choose(STRONG, STRONG)
    await waitFor(() => expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('This password is too common.'))
    expect(screen.queryByText('Invalid input.')).not.toBeInTheDocument()
  })

  it('says a link without a token is incomplete, with no form', async () => {
    renderApp('/invitations/accept')
    expect(await screen.findByRole('heading', { name: 'This link is incomplete' }, { timeout: 10_000 })).toBeInTheDocument()
    expect(screen.queryByLabelText('Password')).not.toBeInTheDocument()
  })
})
