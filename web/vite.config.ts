/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import tailwindcss from '@tailwindcss/vite'

// The gateway (sw-gateway) serves the built app and /api/ from one origin.
const gateway = 'http://127.0.0.1:8080'
const proxy = {
  '/api': { target: gateway, changeOrigin: false },
  '/health': { target: gateway, changeOrigin: false },
}

// The same policy the gateway sends, so `vite preview` catches violations early.
const csp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ')

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: { port: 5173, proxy },
  preview: { port: 4173, proxy, headers: { 'Content-Security-Policy': csp } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Named vendor chunks: long-lived cache entries and a readable size report.
        codeSplitting: {
          groups: [
            { name: 'vendor-react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'vendor-router', test: /node_modules[\\/]@tanstack[\\/](react-router|router-core|history|store|react-store)/ },
            { name: 'vendor-query', test: /node_modules[\\/]@tanstack[\\/](query-core|react-query)/ },
            { name: 'vendor-http', test: /node_modules[\\/](axios|zustand)[\\/]/ },
            // Only the lazy pages use these, so they stay out of the first load.
            { name: 'vendor-forms', test: /node_modules[\\/](zod|react-hook-form|@hookform)[\\/]/ },
            { name: 'vendor-table', test: /node_modules[\\/]@tanstack[\\/](table-core|react-table)[\\/]/ },
          ],
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    testTimeout: 20_000,
  },
})
