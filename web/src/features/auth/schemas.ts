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
  password_confirm: z.string().check(z.minLength(1, 'Repeat the password.')),
})

export const registerSchema = registerFields.check(
  z.refine((v) => v.password === v.password_confirm, {
    message: 'The passwords do not match.',
    path: ['password_confirm'],
    // Compare as soon as both password fields are valid, whatever the other fields hold.
    when: (payload) => z.pick(registerFields, { password: true, password_confirm: true }).safeParse(payload.value).success,
  }),
)

export type RegisterValues = z.infer<typeof registerSchema>
export const REGISTER_FIELDS = ['organization_name', 'email', 'password', 'password_confirm'] as const

export const loginSchema = z.object({
  email,
  password: z.string().check(z.minLength(1, 'Enter your password.')),
})

export type LoginValues = z.infer<typeof loginSchema>
export const LOGIN_FIELDS = ['email', 'password'] as const
