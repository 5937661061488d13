import { defineErrors } from '../errors/error-catalog';

export const AuthErrors = defineErrors('AUTH', {
  TOKEN_MISSING: { status: 401, zh: '缺少访问令牌', en: 'An access token is required' },
  TOKEN_INVALID: { status: 401, zh: '访问令牌无效或已过期', en: 'The access token is invalid or expired' },
  SESSION_ENDED: {
    status: 401,
    zh: '登录状态已失效（账号、院校或身份已停用，或密码已修改），请重新登录',
    en: 'The session has ended (account, college or membership disabled, or password changed); sign in again',
  },
  FORBIDDEN: { status: 403, zh: '当前身份（{role}）无权执行此操作', en: 'Your role ({role}) may not do this' },
});
