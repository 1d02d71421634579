import * as z from 'zod/mini'
import type { EndpointInput } from '@/api/endpoints'
import type { DnsRecordType, EndpointKind } from '@/api/types'
import { intervalField, nameField, urlField } from '@/lib/endpointFields'
import {
  dnsNameField,
  expectedValueField,
  graceField,
  recordTypeField,
  tcpTargetField,
  toDnsUrl,
  toTcpUrl,
} from '@/lib/endpointKinds'
import { MAX_REGIONS, minFailingWithinRegions, parseRegions, regionalFields } from '@/lib/regions'

/** Everything the add form holds; which fields count depends on the kind. */
export interface AddEndpointValues {
  kind: EndpointKind
  /** The URL (http), host:port (tcp) or host name (dns); unused for a heartbeat. */
  url: string
  name: string
  interval_seconds: number
  record_type: DnsRecordType
  expected_value: string
  grace_seconds: number
  /** Region names separated by commas or spaces; empty for every region with a live checker. */
  regions: string
  /** Empty (null) for a majority of the active regions. */
  min_failing_regions: number | null
}

const other = z.optional(z.unknown())

/** The add form on the dashboard for one kind; the plan decides the shortest interval. */
export function addEndpointSchema(
  minIntervalSeconds: number | undefined,
  kind: EndpointKind = 'http',
  maxRegions = MAX_REGIONS,
) {
  const common = { kind: z.string(), name: nameField, interval_seconds: intervalField(minIntervalSeconds) }
  const regionFields = regionalFields(maxRegions)
  switch (kind) {
    case 'tcp':
      return z
        .object({ ...common, ...regionFields, url: tcpTargetField, record_type: other, expected_value: other, grace_seconds: other })
        .check(minFailingWithinRegions)
    case 'dns':
      return z
        .object({
          ...common,
          ...regionFields,
          url: dnsNameField,
          record_type: recordTypeField,
          expected_value: expectedValueField,
          grace_seconds: other,
        })
        .check(minFailingWithinRegions)
    case 'heartbeat':
      return z.object({
        ...common,
        url: other,
        record_type: other,
        expected_value: other,
        grace_seconds: graceField,
        regions: other,
        min_failing_regions: other,
      })
    default:
      return z
        .object({ ...common, ...regionFields, url: urlField, record_type: other, expected_value: other, grace_seconds: other })
        .check(minFailingWithinRegions)
  }
}

/** The request body for the values of one kind: only the fields that kind has. */
export function addEndpointInput(values: AddEndpointValues): EndpointInput {
  const base: EndpointInput = {
    // http is the default kind: its requests stay as they always were.
    ...(values.kind !== 'http' ? { kind: values.kind } : {}),
    interval_seconds: values.interval_seconds,
    ...(values.name.trim() ? { name: values.name.trim() } : {}),
  }
  if (values.kind === 'heartbeat') return { ...base, grace_seconds: values.grace_seconds }
  // Empty fields are sent as null: every region with a live checker, a majority of them.
  const regional: EndpointInput = {
    ...base,
    regions: parseRegions(values.regions),
    min_failing_regions: values.min_failing_regions ?? null,
  }
  switch (values.kind) {
    case 'tcp':
      return { ...regional, url: toTcpUrl(values.url) }
    case 'dns':
      return {
        ...regional,
        url: toDnsUrl(values.url),
        record_type: values.record_type,
        ...(values.expected_value.trim() ? { expected_value: values.expected_value.trim() } : {}),
      }
    default:
      return { ...regional, url: values.url.trim() }
  }
}

export const ADD_ENDPOINT_FIELDS = [
  'url',
  'name',
  'interval_seconds',
  'kind',
  'record_type',
  'expected_value',
  'grace_seconds',
  'regions',
  'min_failing_regions',
] as const
