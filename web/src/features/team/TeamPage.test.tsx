import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { Invitation, Member, Role } from '@/api/types'
import { listOf } from '@/test/alerts'
import { meAs, mockApi, renderApp, signIn } from '@/test/renderApp'
import { invitation, member } from '@/test/team'
import { useSession } from '@/stores/session'

const MEMBERS = '/api/members/'
const INVITATIONS = '/api/invitations/'

const owner = member()
const admin = member({ id: 'u2', email: 'admin@example.com', role: 'admin', two_factor_enabled: true })
const plain = member({ id: 'u3', email: 'dev@example.com', role: 'member', email_verified: false, last_login_at: null })

describe('TeamPage', () => {
  let mocks: ReturnType<typeof mockApi>
  let members: Member[]
  let invitations: Invitation[]

  function setUp(role: Role = 'owner', { emailVerified = true } = {}) {
    signIn({ role })
    const me = meAs(role, { emailVerified })
    // The signed-in user is the member of that role.
    const self = members.find((m) => m.role === role) ?? owner
    mocks.http.onGet('/api/auth/me/').reply(200, { ...me, user: { ...me.user, id: self.id, email: self.email } })
    mocks.http.onGet(MEMBERS).reply(() => [200, listOf(members)])
    mocks.http.onGet(INVITATIONS).reply(() => [200, listOf(invitations)])
  }

  beforeEach(() => {
    mocks = mockApi()
    members = [owner, admin, plain]
    invitations = [invitation()]
  })
  afterEach(() => mocks.restore())

  /** The table's row of that member (the stacked list below 1024 px repeats it). */
  async function rowOf(email: string) {
    const rows = await screen.findAllByTestId('member-row')
    const row = rows.find((r) => within(r).queryByText(email))
    if (!row) throw new Error(`no member row ${email}`)
    return row
  }

  it('is under Settings in the main navigation and lists the members with role, e-mail, two-factor and dates', async () => {
    setUp()
    mocks.http.onGet('/api/endpoints/').reply(200, listOf([]))
    const { router } = renderApp('/dashboard')
    const nav = (await screen.findAllByRole('navigation', { name: 'Main' }))[0]
    await userEvent.setup().click(within(nav).getByRole('link', { name: 'Settings' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/settings/team'))
    // The first visit loads the lazy page: give it time on a slow machine.
    expect(await screen.findByRole('heading', { name: 'Team' }, { timeout: 10_000 })).toBeInTheDocument()

    const self = await rowOf('owner@example.com')
    expect(self).toHaveTextContent('You')
    expect(within(self).getByLabelText('Role of owner@example.com')).toHaveValue('owner')
    const dev = await rowOf('dev@example.com')
    expect(within(dev).getByTestId('member-verified')).toHaveTextContent('Unverified')
    expect(within(dev).getByTestId('member-two-factor')).toHaveTextContent('Off')
    expect(dev).toHaveTextContent('Never')
    expect(within(await rowOf('admin@example.com')).getByTestId('member-two-factor')).toHaveTextContent('On')
    expect(mocks.http.history.get.find((r) => r.url === MEMBERS)?.params).toEqual({ page: 1, page_size: 50 })
  })

  it('changes a role with PATCH {role} and says so', async () => {
    setUp()
    mocks.http.onPatch(`${MEMBERS}u3/`).reply((config) => {
      members = members.map((m) => (m.id === 'u3' ? { ...m, role: JSON.parse(config.data).role } : m))
      return [200, members[2]]
    })
    renderApp('/settings/team')
    const user = userEvent.setup()

    await user.selectOptions(within(await rowOf('dev@example.com')).getByLabelText('Role of dev@example.com'), 'admin')
    expect(await screen.findByText('dev@example.com is now an admin.')).toBeInTheDocument()
    expect(JSON.parse(mocks.http.history.patch[0].data)).toEqual({ role: 'admin' })
    await waitFor(async () => expect(within(await rowOf('dev@example.com')).getByLabelText('Role of dev@example.com')).toHaveValue('admin'))
  })

  it('explains 409 last_owner and keeps the role as it was', async () => {
    setUp()
    mocks.http.onPatch(`${MEMBERS}u1/`).reply(409, { detail: 'Conflict.', code: 'last_owner' })
    renderApp('/settings/team')
    const user = userEvent.setup()

    await user.selectOptions(within(await rowOf('owner@example.com')).getByLabelText('Role of owner@example.com'), 'member')
    const error = await within(await rowOf('owner@example.com')).findByTestId('member-error')
    expect(error).toHaveTextContent('You are the only owner, and every organisation needs one. Make another member an owner first')
    expect(within(await rowOf('owner@example.com')).getByLabelText('Role of owner@example.com')).toHaveValue('owner')
  })

  it('lets an admin manage admins and members but never an owner, nor make one', async () => {
    setUp('admin')
    renderApp('/settings/team')

    const ownerRow = await rowOf('owner@example.com')
    expect(within(ownerRow).queryByLabelText('Role of owner@example.com')).not.toBeInTheDocument()
    expect(within(ownerRow).getByTestId('member-role')).toHaveTextContent('Owner')
    expect(within(ownerRow).queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument()
    const options = within(within(await rowOf('dev@example.com')).getByLabelText('Role of dev@example.com')).getAllByRole('option')
    expect(options.map((o) => o.textContent)).toEqual(['Admin', 'Member'])
    expect(within(await rowOf('dev@example.com')).getByRole('button', { name: 'Remove dev@example.com' })).toBeInTheDocument()
  })

  it('removes a member after a confirmation', async () => {
    setUp()
    mocks.http.onDelete(`${MEMBERS}u3/`).reply(() => {
      members = members.filter((m) => m.id !== 'u3')
      return [204]
    })
    renderApp('/settings/team')
    const user = userEvent.setup()

    await user.click(within(await rowOf('dev@example.com')).getByRole('button', { name: 'Remove dev@example.com' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(dialog).toHaveTextContent('dev@example.com will lose access at once')
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }))
    expect(await screen.findByText('dev@example.com was removed. Their sign-ins have ended.')).toBeInTheDocument()
    expect(mocks.http.history.delete).toHaveLength(1)
    await waitFor(() => expect(screen.queryAllByText('dev@example.com')).toHaveLength(0))
  })

  it('shows 409 last_owner in the dialog when the only owner tries to leave', async () => {
    setUp()
    mocks.http.onDelete(`${MEMBERS}u1/`).reply(409, { detail: 'Conflict.', code: 'last_owner' })
    renderApp('/settings/team')
    const user = userEvent.setup()

    await user.click(within(await rowOf('owner@example.com')).getByRole('button', { name: 'Leave the organisation' }))
    const dialog = await screen.findByRole('alertdialog')
    await user.click(within(dialog).getByRole('button', { name: 'Leave' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('You are the only owner')
    expect(useSession.getState().refresh).not.toBeNull()
  })

  it('invites by e-mail and role, and lists the invitation', async () => {
    setUp()
    mocks.http.onPost(INVITATIONS).reply((config) => {
      const body = JSON.parse(config.data)
      const created = invitation({ id: 'i2', ...body })
      invitations = [created, ...invitations]
      return [201, created]
    })
    renderApp('/settings/team')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Invite someone' })
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }))
    expect(await within(form).findByText('Enter the e-mail address to invite.')).toBeInTheDocument()
    await user.type(within(form).getByLabelText('E-mail address'), 'ops@example.com')
    await user.selectOptions(within(form).getByLabelText('Role'), 'admin')
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }))

    expect(await within(form).findByText(/Invitation sent to ops@example.com to join as an admin/)).toBeInTheDocument()
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({ email: 'ops@example.com', role: 'admin' })
    const rows = await screen.findAllByTestId('invitation-row')
    expect(rows[0]).toHaveTextContent('ops@example.com')
    expect(rows[0]).toHaveTextContent('Admin')
    expect(within(form).getByLabelText('E-mail address')).toHaveValue('')
  })

  it('puts 409 already_member under the e-mail and explains 403 email_not_verified', async () => {
    setUp('owner', { emailVerified: false })
    mocks.http
      .onPost(INVITATIONS)
      .replyOnce(409, { detail: 'Conflict.', code: 'already_member' })
      .onPost(INVITATIONS)
      .replyOnce(403, { detail: 'Verify your e-mail address first.', code: 'email_not_verified' })
    mocks.http.onPost('/api/auth/verify-email/resend/').reply(202)
    renderApp('/settings/team')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Invite someone' })
    await user.type(within(form).getByLabelText('E-mail address'), 'dev@example.com')
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }))
    await waitFor(() =>
      expect(within(form).getByLabelText('E-mail address')).toHaveAccessibleDescription(
        'dev@example.com is already a member of this organisation.',
      ),
    )

    await user.clear(within(form).getByLabelText('E-mail address'))
    await user.type(within(form).getByLabelText('E-mail address'), 'new@example.com')
    await user.click(within(form).getByRole('button', { name: 'Send invitation' }))
    const explain = await screen.findByTestId('invite-verify-first')
    expect(explain).toHaveTextContent('Confirm your own e-mail address first')
    expect(explain).toHaveTextContent('Invitations go out only from an account whose e-mail address is confirmed')
    await user.click(within(explain).getByRole('button', { name: 'Resend e-mail' }))
    expect(await within(explain).findByText('A new confirmation link is on its way.')).toBeInTheDocument()
  })

  it('revokes an invitation after a confirmation', async () => {
    setUp()
    mocks.http.onDelete(`${INVITATIONS}i1/`).reply(() => {
      invitations = []
      return [204]
    })
    renderApp('/settings/team')
    const user = userEvent.setup()

    await user.click(await screen.findByRole('button', { name: 'Revoke the invitation of new@example.com' }))
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Revoke' }))
    expect(await screen.findByTestId('invitations-empty')).toBeInTheDocument()
    expect(mocks.http.history.delete[0].url).toBe(`${INVITATIONS}i1/`)
  })

  it('shows a member the team read-only: no role controls, no invitations, and never asks for them', async () => {
    setUp('member')
    renderApp('/settings/team')

    expect(await screen.findByTestId('team-read-only')).toBeInTheDocument()
    const row = await rowOf('owner@example.com')
    expect(within(row).getByTestId('member-role')).toHaveTextContent('Owner')
    expect(screen.queryByRole('combobox', { name: /Role of/ })).not.toBeInTheDocument()
    expect(screen.queryByRole('button', { name: /Remove/ })).not.toBeInTheDocument()
    expect(screen.queryByRole('form', { name: 'Invite someone' })).not.toBeInTheDocument()
    const tabs = screen.getByRole('navigation', { name: 'Settings' })
    expect(within(tabs).queryByRole('link', { name: 'API keys' })).not.toBeInTheDocument()
    expect(within(tabs).queryByRole('link', { name: 'Audit log' })).not.toBeInTheDocument()
    expect(mocks.http.history.get.some((r) => r.url === INVITATIONS)).toBe(false)
  })

  it('says so gracefully when the server refuses the invitations (403, a role changed meanwhile)', async () => {
    setUp()
    mocks.http.onGet(INVITATIONS).reply(403, { detail: 'Forbidden.', code: 'permission_denied' })
    renderApp('/settings/team')
    expect(await screen.findByTestId('invitations-denied')).toHaveTextContent('Only owners and admins can see and send invitations.')
    expect(await rowOf('dev@example.com')).toBeInTheDocument()
  })
})
