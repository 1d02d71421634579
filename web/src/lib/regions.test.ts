import { describe, expect, it } from 'vitest'
import * as z from 'zod/mini'
import { appendRegion, minFailingField, minFailingWithinRegions, parseRegions, quorumLine, regionsField, regionsInput } from './regions'

describe('region fields', () => {
  it('reads an empty Regions field as null (every region with a live checker)', () => {
    expect(parseRegions('')).toBeNull()
    expect(parseRegions('   ')).toBeNull()
    expect(parseRegions(' , ,\n')).toBeNull()
  })

  it('splits names on commas and spaces', () => {
    expect(parseRegions('eu-west, us-east us-west')).toEqual(['eu-west', 'us-east', 'us-west'])
    expect(parseRegions('eu-west,,us-east,')).toEqual(['eu-west', 'us-east'])
  })

  it('shows stored regions as text, and null or absent ones as empty', () => {
    expect(regionsInput(['eu-west', 'us-east'])).toBe('eu-west, us-east')
    expect(regionsInput(null)).toBe('')
    expect(regionsInput(undefined)).toBe('')
  })

  it('checks names as the API does: [a-z0-9-]{1,32}, at most 8, each once', () => {
    const ok = (text: string) => regionsField().safeParse(text).success
    expect(ok('')).toBe(true)
    expect(ok('eu-west, us-east-1')).toBe(true)
    expect(ok('EU-west')).toBe(false)
    expect(ok('eu_west')).toBe(false)
    expect(ok('a'.repeat(33))).toBe(false)
    expect(ok('a b c d e f g h')).toBe(true)
    expect(ok('a b c d e f g h i')).toBe(false)
    expect(ok('eu-west eu-west')).toBe(false)
  })

  it('takes an empty min_failing_regions (null) as a majority, else 1..8', () => {
    expect(minFailingField().safeParse(null).success).toBe(true)
    expect(minFailingField().safeParse(2).success).toBe(true)
    expect(minFailingField().safeParse(0).success).toBe(false)
    expect(minFailingField().safeParse(9).success).toBe(false)
    expect(minFailingField().safeParse(1.5).success).toBe(false)
  })

  it('takes the limit of GET /api/regions/ when it is known', () => {
    expect(regionsField(3).safeParse('a b c').success).toBe(true)
    const result = regionsField(3).safeParse('a b c d')
    expect(result.error?.issues.map((i) => i.message)).toEqual(['Name at most 3 regions.'])
    expect(regionsField(10).safeParse('a b c d e f g h i').success).toBe(true)
    expect(minFailingField(3).safeParse(4).success).toBe(false)
  })

  it('appends a region name once, after what is typed', () => {
    expect(appendRegion('', 'eu')).toBe('eu')
    expect(appendRegion('  ', 'eu')).toBe('eu')
    expect(appendRegion('us', 'eu')).toBe('us, eu')
    expect(appendRegion('us, ', 'eu')).toBe('us, eu')
    expect(appendRegion('us eu', 'eu')).toBe('us eu')
    expect(appendRegion('eu-west', 'eu')).toBe('eu-west, eu')
  })

  it('needs no more failing regions than are named', () => {
    const schema = z.object({ regions: z.string(), min_failing_regions: z.nullable(z.number()) }).check(minFailingWithinRegions)
    expect(schema.safeParse({ regions: 'a b', min_failing_regions: 2 }).success).toBe(true)
    expect(schema.safeParse({ regions: '', min_failing_regions: 5 }).success).toBe(true)
    const result = schema.safeParse({ regions: 'a b', min_failing_regions: 3 })
    expect(result.error?.issues.map((i) => i.path)).toEqual([['min_failing_regions']])
  })
})

describe('quorumLine', () => {
  const quorum = (failing: number, required = 2, regions = 3) => ({ regions, required, failing, below_quorum: failing > 0 && failing < required })

  it('says "failing in K of N regions — below quorum" while fewer than the quorum fail', () => {
    expect(quorumLine({ status: 'up', quorum: quorum(1) })).toEqual({
      text: 'failing in 1 of 3 regions — below quorum',
      belowQuorum: true,
    })
    expect(quorumLine({ status: 'up', quorum: quorum(2, 3, 5) })?.text).toBe('failing in 2 of 5 regions — below quorum')
  })

  it('says "failing in K of N regions" when down by quorum', () => {
    expect(quorumLine({ status: 'down', quorum: quorum(2) })).toEqual({ text: 'failing in 2 of 3 regions', belowQuorum: false })
    expect(quorumLine({ status: 'down', quorum: quorum(3) })?.text).toBe('failing in 3 of 3 regions')
  })

  it('says nothing when all is well, without regions, for a heartbeat, a paused endpoint or one region', () => {
    expect(quorumLine({ status: 'up', quorum: quorum(0) })).toBeNull()
    expect(quorumLine({ status: 'down' })).toBeNull()
    expect(quorumLine({ status: 'up', quorum: undefined })).toBeNull()
    expect(quorumLine({ kind: 'heartbeat', status: 'down', quorum: { regions: 1, required: 1, failing: 1, below_quorum: false } })).toBeNull()
    expect(quorumLine({ status: 'paused', quorum: quorum(1) })).toBeNull()
    expect(quorumLine({ status: 'down', quorum: quorum(1, 1, 1) })).toBeNull()
  })
})
