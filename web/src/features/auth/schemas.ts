// zod/mini: the same validation as zod, a quarter of the bundle.
import * as z from 'zod/mini'

// Mirrors the server's rules (api.md, POST /api/auth/register/).
export const PASSWORD_RULES: { test: (value: string) => boolean; message: string; label: string }[] = [
  { test: (v) => v.length >= 12, message: 'Use at least 12 characters.', label: '12+ characters' },
  { test: (v) => /[A-Z]/.test(v), message: 'Add an upper-case letter.', label: 'an upper-case letter' },
  { test: (v) => /[a-z]/.test(v), message: 'Add a lower-case letter.', label: 'a lower-case letter' },
  { test: (v) => /[0-9]/.test(v), message: 'Add a digit.', label: 'a digit' },
  { test: (v) => /[^A-Za-z0-9]/.test(v), message: 'Add a symbol, such as ! or #.', label: 'a symbol' },
]

const email = z.string().check(
  z.trim(),
  z.minLength(1, 'Enter your e-mail address.'),
  z.regex(z.regexes.email, 'Enter a valid e-mail address.'),
)

const password = z
  .string()
  .check(z.minLength(1, 'Choose a password.'), ...PASSWORD_RULES.map((rule) => z.refine<string>(rule.test, rule.message)))

const passwordConfirm = z.string().check(z.minLength(1, 'Repeat the password.'))

const passwordPair = z.object({ password, password_confirm: passwordConfirm })

/** The confirmation must match, checked as soon as both password fields are valid, whatever the other fields hold. */
const passwordsMatch = z.refine<{ password: string; password_confirm: string }>((v) => v.password === v.password_confirm, {
  message: 'The passwords do not match.',
  path: ['password_confirm'],
  when: (payload) => passwordPair.safeParse(payload.value).success,
})

const registerFields = z.object({
  organization_name: z
    .string()
    .check(
      z.trim(),
      z.minLength(2, 'The organisation name needs at least 2 characters.'),
      z.maxLength(100, 'The organisation name can have at most 100 characters.'),
    ),
  email,
  password,
  password_confirm: passwordConfirm,
})

export const registerSchema = registerFields.check(passwordsMatch)

export type RegisterValues = z.infer<typeof registerSchema>
export const REGISTER_FIELDS = ['organization_name', 'email', 'password', 'password_confirm'] as const

export const loginSchema = z.object({
  email,
  password: z.string().check(z.minLength(1, 'Enter your password.')),
})

export type LoginValues = z.infer<typeof loginSchema>
export const LOGIN_FIELDS = ['email', 'password'] as const

export const forgotPasswordSchema = z.object({ email })
export type ForgotPasswordValues = z.infer<typeof forgotPasswordSchema>
export const FORGOT_PASSWORD_FIELDS = ['email'] as const

/** The new password on /reset-password: the same policy as at sign-up. */
export const resetPasswordSchema = passwordPair.check(passwordsMatch)
export type ResetPasswordValues = z.infer<typeof resetPasswordSchema>
export const RESET_PASSWORD_FIELDS = ['password', 'password_confirm'] as const

/** The password of a new member on /invitations/accept: the sign-up policy again. */
export const acceptInvitationSchema = passwordPair.check(passwordsMatch)
export type AcceptInvitationValues = z.infer<typeof acceptInvitationSchema>
export const ACCEPT_INVITATION_FIELDS = ['password', 'password_confirm'] as const

/** Spaces people type or paste into codes ("123 456") are not part of them. */
export function normaliseCode(value: string): string {
  return value.replace(/\s+/g, '')
}

/** A code from the authenticator app: 6 digits (RFC 6238), spaces allowed. */
export const totpCode = z.string().check(
  z.refine((v) => normaliseCode(v).length > 0, 'Enter the 6-digit code from your authenticator app.'),
  z.refine((v) => normaliseCode(v).length === 0 || /^\d{6}$/.test(normaliseCode(v)), 'The code has 6 digits.'),
)

/** A code from the app or one of the recovery codes; the server tells which it is. */
export const anyCode = z.string().check(
  z.refine((v) => normaliseCode(v).length > 0, 'Enter a code.'),
  z.refine((v) => normaliseCode(v).length <= 64, 'That is too long for a code.'),
)

export const recoveryCode = z.string().check(
  z.refine((v) => normaliseCode(v).length > 0, 'Enter one of your recovery codes.'),
  z.refine((v) => normaliseCode(v).length <= 64, 'That is too long for a recovery code.'),
)

export const confirmTwoFactorSchema = z.object({ code: totpCode })
export type ConfirmTwoFactorValues = z.infer<typeof confirmTwoFactorSchema>

export const disableTwoFactorSchema = z.object({
  password: z.string().check(z.minLength(1, 'Enter your password.')),
  code: anyCode,
})
export type DisableTwoFactorValues = z.infer<typeof disableTwoFactorSchema>
export const DISABLE_TWO_FACTOR_FIELDS = ['password', 'code'] as const
