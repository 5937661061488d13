import { defineErrors } from '../../src/errors/error-catalog';

export const IdentityErrors = defineErrors('IDENTITY', {
  // One answer whether or not the account exists (QUALITY §2).
  INVALID_CREDENTIALS: { status: 401, zh: '账号或密码错误', en: 'Wrong login or password' },
  ACCOUNT_LOCKED: {
    status: 429,
    zh: '登录失败次数过多，请 {minutes} 分钟后再试',
    en: 'Too many failed sign-ins; try again in {minutes} minutes',
  },
  IP_THROTTLED: {
    status: 429,
    zh: '该网络登录请求过于频繁，请 {seconds} 秒后再试',
    en: 'Too many sign-in attempts from this network; try again in {seconds} seconds',
  },
  LOGIN_BUSY: {
    status: 503,
    zh: '登录请求过多，请 {seconds} 秒后重试',
    en: 'Too many sign-ins are being checked; try again in {seconds} seconds',
  },
  NO_ACTIVE_MEMBERSHIP: {
    status: 403,
    zh: '该账号没有可用的身份（所在院校可能已停用）',
    en: 'This account has no usable membership (its college may be suspended)',
  },
  MEMBERSHIP_NOT_FOUND: { status: 404, zh: '未找到该身份', en: 'Membership not found' },
  REFRESH_INVALID: { status: 401, zh: '刷新令牌无效或已过期，请重新登录', en: 'The refresh token is invalid or expired; sign in again' },
  REFRESH_REUSED: {
    status: 401,
    zh: '检测到刷新令牌被重复使用，为保护账号已注销该登录会话，请重新登录',
    en: 'A used refresh token came back; the session was revoked to protect the account. Sign in again',
  },
  WRONG_PASSWORD: { status: 422, zh: '当前密码不正确', en: 'The current password is wrong' },
  WEAK_PASSWORD: {
    status: 422,
    zh: '新密码不符合要求：至少 10 位，须同时包含字母和数字，且不能包含登录名',
    en: 'The new password needs at least 10 characters, letters and digits, and must not contain the login',
  },
  SAME_PASSWORD: { status: 422, zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  INVITATION_INVALID: { status: 404, zh: '邀请链接无效', en: 'The invitation is not valid' },
  INVITATION_EXPIRED: { status: 410, zh: '邀请已过期，请联系管理员重新邀请', en: 'The invitation has expired; ask for a new one' },
  INVITATION_USED: { status: 409, zh: '该邀请已被使用', en: 'The invitation was already used' },
  INVITE_ROLE_FORBIDDEN: {
    status: 403,
    zh: '当前身份不能邀请角色 {role}',
    en: 'Your role may not invite {role}',
  },
  INVITE_TARGET_REQUIRED: {
    status: 422,
    zh: '邀请角色 {role} 需要指定{what}',
    en: 'Inviting {role} needs {what}',
  },
  ALREADY_MEMBER: { status: 409, zh: '该用户已拥有此身份', en: 'The user already has this membership' },
  CANNOT_REVOKE_SELF: { status: 422, zh: '不能停用自己当前使用的身份', en: 'You cannot revoke the membership you are using' },
  INVITE_NOT_PARTNER: {
    status: 422,
    zh: '只能邀请本校合作中（active）企业的人员',
    en: 'A college may invite people only of an enterprise that is an active partner',
  },
  ENTERPRISE_NOT_FOUND: { status: 422, zh: '企业不存在', en: 'The enterprise does not exist' },
  TENANT_NOT_FOUND: { status: 422, zh: '院校不存在', en: 'The college does not exist' },
  RESET_INVALID: { status: 404, zh: '重置链接或验证码无效', en: 'The reset link or code is not valid' },
  RESET_EXPIRED: { status: 410, zh: '重置链接或验证码已过期（{minutes} 分钟内有效），请重新申请', en: 'The reset link or code has expired (valid {minutes} minutes); request a new one' },
  RESET_USED: { status: 409, zh: '该重置链接或验证码已使用过', en: 'The reset link or code was already used' },
  RESET_THROTTLED: {
    status: 429,
    zh: '密码重置请求过于频繁，请 {seconds} 秒后再试',
    en: 'Too many password-reset attempts; try again in {seconds} seconds',
  },
});
