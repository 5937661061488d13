import { defineErrors } from '../../src/errors/error-catalog';

export const PartnershipErrors = defineErrors('PARTNERSHIPS', {
  NOT_FOUND: { status: 404, zh: '未找到该合作关系', en: 'Partnership not found' },
  PROGRAMME_NOT_FOUND: { status: 422, zh: '本校没有该专业', en: 'The programme does not exist in this college' },
  ENTERPRISE_NOT_FOUND: { status: 422, zh: '企业不存在', en: 'The enterprise does not exist' },
  DUPLICATE: {
    status: 409,
    zh: '该企业已是专业“{programme}”的合作企业，不能重复添加',
    en: 'The enterprise is already a partner of programme "{programme}"',
  },
  TOO_MANY_ACTIVE: {
    status: 422,
    zh: '每个专业最多与 2 家企业开展联合培养（R-PRG-3）：专业“{programme}”已有 2 家合作企业（{partners}），不能再启用第 3 家',
    en: 'A programme has at most 2 active partner enterprises (R-PRG-3): "{programme}" already has 2 ({partners}); a third cannot be activated',
  },
  BAD_STATUS: { status: 409, zh: '合作关系当前状态为“{status}”，不能执行此操作', en: 'The partnership is {status}; this action is not possible' },
  AGREEMENT_NOT_FOUND: { status: 404, zh: '未找到该合作协议', en: 'Agreement not found' },
  AGREEMENT_BAD_STATUS: { status: 409, zh: '协议当前状态为“{status}”，不能执行此操作', en: 'The agreement is {status}; this action is not possible' },
  SIGNED_FILE_MISSING: {
    status: 422,
    zh: '签署协议须附上已签章的协议文件（先上传到 /attachments）',
    en: 'Signing needs the signed agreement file (upload it to /attachments first)',
  },
  BAD_TERM: { status: 400, zh: '协议期限的结束日期不能早于开始日期', en: 'The term must not end before it starts' },
});
