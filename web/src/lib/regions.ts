import * as z from 'zod/mini'
import type { Endpoint } from '@/api/types'
import { kindOf } from './endpointKinds'

// Regions and quorum (api.md): the form fields of an endpoint's regions and the page's quorum line.

/**
 * The API's limits: 1..8 distinct names of [a-z0-9-]{1,32}; min_failing_regions 1..8. The 8
 * holds until GET /api/regions/ says its max_per_endpoint (see maxRegionsOf).
 */
export const MAX_REGIONS = 8
const REGION_NAME = /^[a-z0-9-]{1,32}$/

/** The most regions an endpoint may name: GET /api/regions/'s max_per_endpoint once known. */
export function maxRegionsOf(reply: { max_per_endpoint?: unknown } | undefined): number {
  const max = reply?.max_per_endpoint
  return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : MAX_REGIONS
}

/** What the Regions field says when it is empty (null: the server picks the regions). */
export const ALL_REGIONS = 'All regions with a live checker'

/** The names typed in the Regions field, split on commas and spaces; none is null. */
export function parseRegions(text: string): string[] | null {
  const names = text.split(/[\s,]+/).filter(Boolean)
  return names.length ? names : null
}

/** The Regions field's text for an endpoint's regions (null or absent: empty). */
export function regionsInput(regions: string[] | null | undefined): string {
  return Array.isArray(regions) ? regions.join(', ') : ''
}

const names = (text: string) => parseRegions(text) ?? []

/** The Regions field's text with `name` added at the end, or as it was when it names it already. */
export function appendRegion(text: string, name: string): string {
  if (names(text).includes(name)) return text
  const kept = text.replace(/[\s,]+$/, '')
  return kept ? `${kept}, ${name}` : name
}

/** `max`: the regions an endpoint may name (GET /api/regions/ max_per_endpoint), MAX_REGIONS until known. */
export function regionsField(max = MAX_REGIONS) {
  return z
    .string()
    .check(
      z.refine(
        (text) => names(text).every((name) => REGION_NAME.test(name)),
        'Use region names of lower-case letters, digits and "-" (up to 32 characters).',
      ),
      z.refine((text) => names(text).length <= max, `Name at most ${max} regions.`),
      z.refine((text) => new Set(names(text)).size === names(text).length, 'Name each region once.'),
    )
}

export function minFailingField(max = MAX_REGIONS) {
  return z.nullable(
    z
      .number({ error: 'Enter a number of regions, or leave it empty for a majority.' })
      .check(
        z.refine(Number.isInteger, 'Enter a whole number of regions.'),
        z.gte(1, 'At least 1 region.'),
        z.lte(max, `At most ${max} regions.`),
      ),
  )
}

/** The regions' fields of a schema for every kind but a heartbeat (pinged, not checked from regions). */
export function regionalFields(max = MAX_REGIONS) {
  return { regions: regionsField(max), min_failing_regions: minFailingField(max) }
}

/** The cross-field rule: with named regions, no more may be needed to fail than are named. */
export const minFailingWithinRegions = z.refine<{ regions?: unknown; min_failing_regions?: unknown }>(
  (values) => {
    if (typeof values.regions !== 'string' || typeof values.min_failing_regions !== 'number') return true
    const named = names(values.regions).length
    return named === 0 || values.min_failing_regions <= named
  },
  { path: ['min_failing_regions'], error: 'No more than the regions named above.' },
)

export interface QuorumLine {
  text: string
  /** Some regions fail but fewer than needed: the endpoint stays up. */
  belowQuorum: boolean
}

/**
 * "failing in 1 of 3 regions — below quorum" while fewer regions fail than the quorum needs,
 * "failing in 2 of 3 regions" when the endpoint is down by quorum; null otherwise, and for an
 * endpoint from a backend without regions, a heartbeat, a paused endpoint, or a single region.
 */
export function quorumLine(endpoint: Pick<Endpoint, 'kind' | 'status' | 'quorum'>): QuorumLine | null {
  const quorum = endpoint.quorum
  if (!quorum || typeof quorum !== 'object') return null
  if (kindOf(endpoint) === 'heartbeat' || endpoint.status === 'paused') return null
  const { regions, required, failing } = quorum
  if (![regions, required, failing].every((n) => typeof n === 'number' && Number.isFinite(n))) return null
  if (quorum.below_quorum === true) {
    return { text: `failing in ${failing} of ${regions} regions — below quorum`, belowQuorum: true }
  }
  if (endpoint.status === 'down' && failing >= required && failing > 0 && regions > 1) {
    return { text: `failing in ${failing} of ${regions} regions`, belowQuorum: false }
  }
  return null
}
