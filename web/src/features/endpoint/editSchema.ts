import * as z from 'zod/mini'
import type { DnsRecordType, EndpointKind } from '@/api/types'
import { intervalField, nameField, urlField } from '@/lib/endpointFields'
import { dnsNameField, expectedValueField, graceField, recordTypeField, tcpTargetField } from '@/lib/endpointKinds'
import { MAX_REGIONS, minFailingWithinRegions, regionalFields } from '@/lib/regions'

export const METHODS = ['GET', 'HEAD', 'POST'] as const

/** Everything the settings form holds; which fields count depends on the endpoint's kind. */
export interface EditEndpointValues {
  name: string
  url: string
  method: (typeof METHODS)[number]
  interval_seconds: number
  timeout_ms: number
  expected_status: number | null
  keyword: string
  record_type: DnsRecordType
  expected_value: string
  grace_seconds: number
  /** Region names separated by commas or spaces; empty for every region with a live checker. */
  regions: string
  /** null for a majority of the active regions. */
  min_failing_regions: number | null
}

const timeoutField = z
  .number({ error: 'Enter the timeout in milliseconds.' })
  .check(
    z.refine(Number.isInteger, 'Use whole milliseconds.'),
    z.gte(1000, 'The timeout is at least 1,000 ms.'),
    z.lte(30_000, 'The timeout is at most 30,000 ms.'),
  )

const other = z.optional(z.unknown())

export function editEndpointSchema(
  minIntervalSeconds: number | undefined,
  kind: EndpointKind = 'http',
  maxRegions = MAX_REGIONS,
) {
  const common = { name: nameField, interval_seconds: intervalField(minIntervalSeconds) }
  const regionFields = regionalFields(maxRegions)
  const unused = { method: other, expected_status: other, keyword: other, record_type: other, expected_value: other }
  switch (kind) {
    case 'tcp':
      return z
        .object({ ...common, ...unused, ...regionFields, url: tcpTargetField, timeout_ms: timeoutField, grace_seconds: other })
        .check(minFailingWithinRegions)
    case 'dns':
      return z
        .object({
          ...common,
          ...unused,
          ...regionFields,
          url: dnsNameField,
          timeout_ms: timeoutField,
          record_type: recordTypeField,
          expected_value: expectedValueField,
          grace_seconds: other,
        })
        .check(minFailingWithinRegions)
    case 'heartbeat':
      return z.object({
        ...common,
        ...unused,
        url: other,
        timeout_ms: other,
        grace_seconds: graceField,
        regions: other,
        min_failing_regions: other,
      })
    default:
      return z.object({
        ...common,
        ...regionFields,
        url: urlField,
        method: z.enum(METHODS, { error: 'Choose GET, HEAD or POST.' }),
        timeout_ms: timeoutField,
        expected_status: z.nullable(
          z
            .number({ error: 'Enter an HTTP status code.' })
            .check(
              z.refine(Number.isInteger, 'Enter an HTTP status code.'),
              z.gte(100, 'Enter an HTTP status code (100–599).'),
              z.lte(599, 'Enter an HTTP status code (100–599).'),
            ),
        ),
        keyword: z.string().check(z.trim(), z.maxLength(200, 'Use at most 200 characters.')),
        record_type: other,
        expected_value: other,
        grace_seconds: other,
      }).check(minFailingWithinRegions)
  }
}

/** The fields each kind's settings form shows and may send. */
export const EDIT_FIELDS_BY_KIND = {
  http: ['name', 'url', 'method', 'interval_seconds', 'timeout_ms', 'expected_status', 'keyword', 'regions', 'min_failing_regions'],
  tcp: ['name', 'url', 'interval_seconds', 'timeout_ms', 'regions', 'min_failing_regions'],
  dns: ['name', 'url', 'record_type', 'expected_value', 'interval_seconds', 'timeout_ms', 'regions', 'min_failing_regions'],
  heartbeat: ['name', 'interval_seconds', 'grace_seconds'],
} as const satisfies Record<EndpointKind, readonly (keyof EditEndpointValues)[]>

export const EDIT_ENDPOINT_FIELDS = [
  'name',
  'url',
  'method',
  'interval_seconds',
  'timeout_ms',
  'expected_status',
  'keyword',
  'record_type',
  'expected_value',
  'grace_seconds',
  'regions',
  'min_failing_regions',
] as const

/** Fields of a newer backend, shown only when the endpoint carries them. */
export const REGION_FIELDS = ['regions', 'min_failing_regions'] as const
