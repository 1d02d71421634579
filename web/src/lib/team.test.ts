import { describe, expect, it } from 'vitest'
import { assignableRoles, canManageMember, isSelf } from './team'

describe('team rules', () => {
  it('lets an owner give any role and an admin only admin or member', () => {
    expect(assignableRoles('owner')).toEqual(['owner', 'admin', 'member'])
    expect(assignableRoles('admin')).toEqual(['admin', 'member'])
    expect(assignableRoles('member')).toEqual([])
    expect(assignableRoles(undefined)).toEqual([])
  })

  it('keeps admins away from owners, and members away from everyone', () => {
    expect(canManageMember('owner', { role: 'owner' })).toBe(true)
    expect(canManageMember('admin', { role: 'owner' })).toBe(false)
    expect(canManageMember('admin', { role: 'admin' })).toBe(true)
    expect(canManageMember('admin', { role: 'member' })).toBe(true)
    expect(canManageMember('member', { role: 'member' })).toBe(false)
  })

  it('finds the signed-in user by id, or by e-mail in any case', () => {
    const member = { id: 'u1', email: 'Ops@Acme.example' }
    expect(isSelf(member, { id: 'u1' })).toBe(true)
    expect(isSelf(member, { id: 'u2', email: 'ops@acme.example' })).toBe(true)
    expect(isSelf(member, { id: 'u2', email: 'dev@acme.example' })).toBe(false)
    expect(isSelf(member, undefined)).toBe(false)
  })
})
