// One Content-Security-Policy for the renderer, wherever it is served from (Electron's
// app:// protocol or the browser-mode server). Mantine injects style attributes, hence
// 'unsafe-inline' for styles only; scripts come from the app's own origin alone.
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
