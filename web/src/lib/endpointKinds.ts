import * as z from 'zod/mini'
import type { DnsRecordType, Endpoint, EndpointKind } from '@/api/types'

// The kinds of monitor (api.md "More kinds of monitor") as the forms and pages show them.

export const ENDPOINT_KINDS = ['http', 'tcp', 'dns', 'heartbeat'] as const satisfies readonly EndpointKind[]

export const KIND_LABELS: Record<EndpointKind, string> = {
  http: 'HTTP(S)',
  tcp: 'TCP port',
  dns: 'DNS record',
  heartbeat: 'Heartbeat',
}

export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'TXT'] as const satisfies readonly DnsRecordType[]

/** The API's limits for the kinds' own fields. */
export const MAX_GRACE_SECONDS = 86_400
export const MAX_EXPECTED_VALUE = 255

/** Older replies carry no kind: they are HTTP endpoints. */
export function kindOf(endpoint: Pick<Endpoint, 'kind'>): EndpointKind {
  return endpoint.kind ?? 'http'
}

/** "db.example.com:5432" or "tcp://db.example.com:5432" → "tcp://db.example.com:5432". */
export function toTcpUrl(text: string): string {
  const value = text.trim()
  return /^tcp:\/\//i.test(value) ? value : `tcp://${value}`
}

/** "example.com" or "dns://example.com" → "dns://example.com". */
export function toDnsUrl(text: string): string {
  const value = text.trim()
  return /^dns:\/\//i.test(value) ? value : `dns://${value}`
}

/** What the user types for an endpoint's target, from its stored URL. */
export function targetInput(endpoint: Pick<Endpoint, 'kind' | 'url'>): string {
  const url = endpoint.url ?? ''
  const kind = kindOf(endpoint)
  if (kind === 'tcp') return url.replace(/^tcp:\/\//i, '')
  if (kind === 'dns') return url.replace(/^dns:\/\//i, '')
  return url
}

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):(\d{1,5})\/?$/
const HOST_NAME = /^(?=.{1,253}$)([A-Za-z0-9_-]{1,63}\.)+[A-Za-z0-9_-]{1,63}\.?\/?$/

export const tcpTargetField = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'Enter a host and port, such as db.example.com:5432.'),
    z.refine((value) => {
      const match = HOST_PORT.exec(value.replace(/^tcp:\/\//i, ''))
      return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65_535
    }, 'Enter a host and port, such as db.example.com:5432.'),
  )

export const dnsNameField = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'Enter the host name to resolve.'),
    z.refine((value) => HOST_NAME.test(value.replace(/^dns:\/\//i, '')), 'Enter a host name such as example.com.'),
  )

export const recordTypeField = z.enum(RECORD_TYPES, { error: 'Choose A, AAAA, CNAME, MX or TXT.' })

export const expectedValueField = z
  .string()
  .check(z.trim(), z.maxLength(MAX_EXPECTED_VALUE, `Use at most ${MAX_EXPECTED_VALUE} characters.`))

export const graceField = z
  .number({ error: 'Enter the grace period in seconds.' })
  .check(
    z.refine(Number.isInteger, 'Use whole seconds.'),
    z.gte(0, 'The grace period cannot be negative.'),
    z.lte(MAX_GRACE_SECONDS, 'At most a day (86,400 seconds).'),
  )

/** One line saying what an endpoint watches, for lists and headers. */
export function targetSummary(endpoint: Pick<Endpoint, 'kind' | 'url' | 'record_type' | 'interval_seconds' | 'grace_seconds'>): string {
  const kind = kindOf(endpoint)
  if (kind === 'heartbeat') {
    const grace = endpoint.grace_seconds ? ` + ${endpoint.grace_seconds} s grace` : ''
    return `Heartbeat every ${endpoint.interval_seconds} s${grace}`
  }
  if (kind === 'dns') return `${endpoint.record_type ?? 'A'} ${targetInput(endpoint)}`
  return endpoint.url ?? ''
}
