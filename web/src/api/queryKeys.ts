/** Query keys in one place, so invalidations match what the pages read. */
export const queryKeys = {
  me: ['me'] as const,
  endpoints: ['endpoints'] as const,
  endpointPage: (page: number, pageSize: number) => ['endpoints', 'page', page, pageSize] as const,
  endpoint: (id: string) => ['endpoints', 'detail', id] as const,
  checks: (id: string) => ['endpoints', 'detail', id, 'checks'] as const,
  uptime: (id: string) => ['endpoints', 'detail', id, 'uptime'] as const,
  billing: ['billing'] as const,
  plans: ['billing', 'plans'] as const,
  subscription: ['billing', 'subscription'] as const,
  invoices: ['billing', 'invoices'] as const,
  invoicePage: (page: number, pageSize: number) => ['billing', 'invoices', page, pageSize] as const,
  alerts: ['alerts'] as const,
  alertPage: (filters: { page: number; pageSize: number; unread: boolean; type: string | null }) =>
    ['alerts', 'page', filters] as const,
  notifications: ['notifications'] as const,
  channels: ['notifications', 'channels'] as const,
  channelPage: (page: number, pageSize: number) => ['notifications', 'channels', page, pageSize] as const,
  notificationSettings: ['notifications', 'settings'] as const,
  deliveryLog: ['notifications', 'log'] as const,
  deliveryLogPage: (channel: string | null, page: number, pageSize: number) =>
    ['notifications', 'log', channel, page, pageSize] as const,
}
