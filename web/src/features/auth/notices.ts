/** Why the sign-in page was opened (its ?notice=): said above the form. Kept apart so the router stays light. */
export type LoginNotice = 'registered' | 'password_reset' | 'invitation_accepted'

export function isLoginNotice(value: unknown): value is LoginNotice {
  return value === 'registered' || value === 'password_reset' || value === 'invitation_accepted'
}
