import { api } from './client'
import type { LoginResponse, LoginSuccess, LoginMultipleTenants, Me, RegisterResponse } from './types'

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

export async function register(input: RegisterInput): Promise<RegisterResponse> {
  const { data } = await api.post<RegisterResponse>('/api/auth/register/', input)
  return data
}

export async function login(input: LoginInput): Promise<LoginResponse> {
  const { data } = await api.post<LoginResponse>('/api/auth/token/', input)
  return data
}

export function isMultipleTenants(reply: LoginResponse): reply is LoginMultipleTenants {
  return (reply as LoginMultipleTenants).multiple_tenants === true
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
