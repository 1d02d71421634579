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
  members: ['members'] as const,
  memberPage: (page: number, pageSize: number) => ['members', page, pageSize] as const,
  invitations: ['invitations'] as const,
  invitationPage: (page: number, pageSize: number) => ['invitations', page, pageSize] as const,
  apiKeys: ['api-keys'] as const,
  apiKeyPage: (page: number, pageSize: number) => ['api-keys', page, pageSize] as const,
  auditLog: ['audit-log'] as const,
  auditLogPage: (page: number, pageSize: number, filters: Record<string, string | undefined>) =>
    ['audit-log', page, pageSize, filters] as const,
  // The staff console's data, under one root so that leaving it forgets all of it.
  staff: ['staff'] as const,
  staffTenants: ['staff', 'tenants'] as const,
  staffTenantPage: (page: number, pageSize: number, filters: Record<string, string | undefined>) =>
    ['staff', 'tenants', page, pageSize, filters] as const,
  staffRevenue: (from: string | undefined, to: string | undefined) => ['staff', 'reports', 'revenue', from, to] as const,
  staffUsage: ['staff', 'reports', 'usage'] as const,
  staffChurn: (from: string | undefined, to: string | undefined) => ['staff', 'reports', 'churn', from, to] as const,
}
