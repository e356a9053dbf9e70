// The "page not found" text per locale (src/pages/404.astro, src/pages/[locale]/404.astro).
export const NOT_FOUND = {
  'zh-cn': {
    title: '找不到这个页面',
    body: '这个地址上没有页面。链接可能写错了，或者页面已经改名。',
    asked: '请求的地址：',
    home: '回到首页',
    search: '也可以用页面顶部的搜索查找。',
  },
  en: {
    title: 'Page not found',
    body: 'There is no page at this address. The link may be mistyped, or the page was renamed.',
    asked: 'Address asked for:',
    home: 'Back to the start page',
    search: 'Or use the search at the top of the page.',
  },
} as const;
