import * as z from 'zod/mini'

export const INVITATION_ROLES = ['member', 'admin'] as const

export const inviteSchema = z.object({
  email: z.string().check(
    z.trim(),
    z.minLength(1, 'Enter the e-mail address to invite.'),
    z.regex(z.regexes.email, 'Enter a valid e-mail address.'),
  ),
  role: z.enum(INVITATION_ROLES, { error: 'Choose admin or member.' }),
})

export type InviteValues = z.infer<typeof inviteSchema>
export const INVITE_FIELDS = ['email', 'role'] as const
