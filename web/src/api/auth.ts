import { api, TWO_FACTOR_DISABLE_PATH } from './client'
import type {
  EmailVerified,
  LoginMultipleTenants,
  LoginResponse,
  LoginSuccess,
  LoginTwoFactorRequired,
  Me,
  RegisterResponse,
  TwoFactorEnabled,
  TwoFactorSetup,
} from './types'

export interface RegisterInput {
  organization_name: string
  email: string
  password: string
  password_confirm: string
}

export interface LoginInput {
  email: string
  password: string
  tenant_schema?: string
}

export interface SecondFactorInput {
  challenge: string
  /** A 6-digit TOTP code or one of the recovery codes. */
  code: string
}

export interface PasswordResetInput {
  token: string
  password: string
  password_confirm: string
}

export interface DisableTwoFactorInput {
  password: string
  code: string
}

export async function register(input: RegisterInput): Promise<RegisterResponse> {
  const { data } = await api.post<RegisterResponse>('/api/auth/register/', input)
  return data
}

export async function login(input: LoginInput): Promise<LoginResponse> {
  const { data } = await api.post<LoginResponse>('/api/auth/token/', input)
  return data
}

/** The second step of a sign-in with two-factor on; answers as /api/auth/token/ does. */
export async function loginSecondFactor(input: SecondFactorInput): Promise<LoginResponse> {
  const { data } = await api.post<LoginResponse>('/api/auth/token/2fa/', input)
  return data
}

export function isMultipleTenants(reply: LoginResponse): reply is LoginMultipleTenants {
  return (reply as LoginMultipleTenants).multiple_tenants === true
}

export function isTwoFactorRequired(reply: LoginResponse): reply is LoginTwoFactorRequired {
  const candidate = reply as LoginTwoFactorRequired
  return candidate.two_factor_required === true && typeof candidate.challenge === 'string'
}

export function isLoginSuccess(reply: LoginResponse): reply is LoginSuccess {
  return typeof (reply as LoginSuccess).access === 'string'
}

export async function logout(refresh: string): Promise<void> {
  await api.post('/api/auth/logout/', { refresh })
}

export async function fetchMe(): Promise<Me> {
  const { data } = await api.get<Me>('/api/auth/me/')
  return data
}

/** Spends the token of a verification link (public: signed in or not). */
export async function verifyEmail(token: string): Promise<EmailVerified> {
  const { data } = await api.post<EmailVerified>('/api/auth/verify-email/', { token })
  return data
}

/** Sends the signed-in user a new verification link (202). */
export async function resendVerification(): Promise<void> {
  await api.post('/api/auth/verify-email/resend/')
}

/** Always 202, whether or not an account has this e-mail. */
export async function requestPasswordReset(email: string): Promise<void> {
  await api.post('/api/auth/password-reset/', { email })
}

/** Sets the new password; the user's refresh tokens are all revoked. */
export async function confirmPasswordReset(input: PasswordResetInput): Promise<void> {
  await api.post('/api/auth/password-reset/confirm/', input)
}

export async function setupTwoFactor(): Promise<TwoFactorSetup> {
  const { data } = await api.post<TwoFactorSetup>('/api/auth/2fa/setup/')
  return data
}

export async function confirmTwoFactor(code: string): Promise<TwoFactorEnabled> {
  const { data } = await api.post<TwoFactorEnabled>('/api/auth/2fa/confirm/', { code })
  return data
}

/** A 401 here means a wrong password (the client does not treat it as an expired session). */
export async function disableTwoFactor(input: DisableTwoFactorInput): Promise<void> {
  await api.post(TWO_FACTOR_DISABLE_PATH, input)
}
