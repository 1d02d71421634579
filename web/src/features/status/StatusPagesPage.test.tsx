import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { Role, StatusPage } from '@/api/types'
import { listOf } from '@/test/alerts'
import { endpoint } from '@/test/endpoints'
import { meAs, mockApi, renderApp, signIn } from '@/test/renderApp'
import { statusPage, subscriber } from '@/test/status'

const PAGES = '/api/status-pages/'
const ENDPOINTS = [endpoint({ id: 'e1', name: 'API' }), endpoint({ id: 'e2', name: 'Website', url: 'https://www.example.com' })]

describe('StatusPagesPage', () => {
  let mocks: ReturnType<typeof mockApi>
  let pages: StatusPage[]

  function setUp(role: Role = 'owner') {
    signIn({ role })
    mocks.http.onGet('/api/auth/me/').reply(200, meAs(role))
    mocks.http.onGet('/api/endpoints/').reply(200, listOf(ENDPOINTS))
    mocks.http.onGet(PAGES).reply(() => [200, listOf(pages)])
  }

  beforeEach(() => {
    mocks = mockApi()
    pages = [statusPage()]
  })
  afterEach(() => mocks.restore())

  it('lists the pages with their components and a link to the public page', async () => {
    setUp()
    renderApp('/status-pages')
    const row = await screen.findByTestId('status-page-row', {}, { timeout: 10_000 })
    expect(row).toHaveTextContent('Acme status')
    expect(row).toHaveTextContent('Public')
    expect(within(row).getByRole('link', { name: '/status/acme' })).toHaveAttribute('href', '/status/acme')
    await waitFor(() => expect(row).toHaveTextContent('API'))
    expect(screen.getByRole('navigation', { name: 'Status' })).toBeInTheDocument()
  })

  it('creates a page with the endpoints picked; a taken slug is 409 duplicate_slug next to the field', async () => {
    setUp()
    mocks.http.onPost(PAGES).replyOnce(409, { detail: 'This slug is taken.', code: 'duplicate_slug' })
    mocks.http.onPost(PAGES).replyOnce((config) => {
      const created = statusPage({ id: 'sp2', ...JSON.parse(config.data) })
      pages = [...pages, created]
      return [201, created]
    })
    renderApp('/status-pages')
    const user = userEvent.setup()
    const form = await screen.findByRole('form', { name: 'Create a status page' }, { timeout: 10_000 })
    await user.type(within(form).getByLabelText('Title'), 'Globex status')
    await user.type(within(form).getByLabelText('Address'), 'Bad Slug')
    await user.click(within(form).getByRole('button', { name: 'Create page' }))
    expect(await within(form).findByText(/Use 3 to 60 lower-case letters/)).toBeInTheDocument()
    await user.clear(within(form).getByLabelText('Address'))
    await user.type(within(form).getByLabelText('Address'), 'globex')
    await user.click(await within(form).findByRole('checkbox', { name: /Website/ }))
    await user.click(within(form).getByRole('button', { name: 'Create page' }))
    expect(await within(form).findByText(/This address is taken/)).toBeInTheDocument()
    await user.click(within(form).getByRole('button', { name: 'Create page' }))
    await waitFor(() => expect(screen.getAllByTestId('status-page-row')).toHaveLength(2))
    expect(JSON.parse(mocks.http.history.post[1].data)).toEqual({
      slug: 'globex',
      title: 'Globex status',
      description: null,
      public: true,
      endpoint_ids: ['e2'],
    })
  })

  it('edits a page (PATCH) and shows its subscribers', async () => {
    setUp('admin')
    mocks.http.onPatch(`${PAGES}sp1/`).reply((config) => [200, { ...pages[0], ...JSON.parse(config.data) }])
    mocks.http.onGet(`${PAGES}sp1/subscribers/`).reply(200, listOf([subscriber(), subscriber({ id: 's2', email: 'new@example.com', state: 'pending' })]))
    renderApp('/status-pages')
    const user = userEvent.setup()
    const row = await screen.findByTestId('status-page-row', {}, { timeout: 10_000 })
    await user.click(within(row).getByRole('button', { name: 'Subscribers' }))
    const subs = await screen.findAllByTestId('subscriber-row')
    expect(subs[0]).toHaveTextContent('reader@example.com')
    expect(subs[0]).toHaveTextContent('Confirmed')
    expect(subs[1]).toHaveTextContent('Pending')

    await user.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = await screen.findByRole('form', { name: 'Edit the status page' })
    expect(within(form).getByLabelText('Address')).toHaveValue('acme')
    await user.click(within(form).getByRole('switch'))
    await user.click(within(form).getByRole('button', { name: 'Save page' }))
    await waitFor(() => expect(mocks.http.history.patch).toHaveLength(1))
    expect(JSON.parse(mocks.http.history.patch[0].data)).toMatchObject({ slug: 'acme', public: false, endpoint_ids: ['e1'] })
    expect(await screen.findByRole('form', { name: 'Create a status page' })).toBeInTheDocument()
  })

  it('deletes a page after a confirmation', async () => {
    setUp()
    mocks.http.onDelete(`${PAGES}sp1/`).reply(() => {
      pages = []
      return [204]
    })
    renderApp('/status-pages')
    const user = userEvent.setup()
    const row = await screen.findByTestId('status-page-row', {}, { timeout: 10_000 })
    await user.click(within(row).getByRole('button', { name: 'Delete Acme status' }))
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }))
    expect(await screen.findByText('No status pages yet.')).toBeInTheDocument()
  })

  it('the main navigation has Status (current on its tabs); the phone row leaves Alerts to the bell', async () => {
    setUp()
    renderApp('/status-pages')
    await screen.findByTestId('status-page-row', {}, { timeout: 10_000 })
    const navs = screen.getAllByRole('navigation', { name: 'Main' })
    expect(navs).toHaveLength(2)
    for (const nav of navs) expect(within(nav).getByRole('link', { name: 'Status' })).toHaveAttribute('aria-current', 'page')
    expect(within(navs[0]).getByRole('link', { name: 'Alerts' })).toBeInTheDocument()
    expect(within(navs[1]).queryByRole('link', { name: 'Alerts' })).not.toBeInTheDocument()
    const tabs = screen.getByRole('navigation', { name: 'Status' })
    expect(within(tabs).getAllByRole('link').map((l) => l.textContent)).toEqual(['Incidents', 'Maintenance', 'Status pages'])
  })

  it('a member reads the pages without the controls', async () => {
    setUp('member')
    renderApp('/status-pages')
    const row = await screen.findByTestId('status-page-row', {}, { timeout: 10_000 })
    expect(await screen.findByTestId('status-pages-read-only')).toBeInTheDocument()
    expect(screen.queryByRole('form', { name: 'Create a status page' })).not.toBeInTheDocument()
    expect(within(row).queryByRole('button')).not.toBeInTheDocument()
  })
})
