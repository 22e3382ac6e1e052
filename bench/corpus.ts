/**
 * A deterministic generator of knowledge documents for the search benchmark: service-desk articles and
 * troubleshooting guides, half in Traditional Chinese and half in English, built from IT vocabulary
 * (products, symptoms, causes, steps, error codes) plus filler prose whose words follow a Zipf-like
 * distribution, so term frequencies look like a real knowledge base rather than one sentence repeated.
 * The same seed gives the same corpus, so runs compare.
 */

/** Mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// prettier-ignore
const ZH_PRODUCTS = [
  '印表機', '網路印表機', '多功能事務機', 'VPN', '無線網路', 'Outlook', 'Teams', 'ERP 系統', '筆記型電腦', '桌上型電腦',
  '外接螢幕', '藍牙鍵盤', '共用資料夾', '網域帳號', '電子郵件', '行事曆', '檔案伺服器', '資料庫', '防火牆', '視訊會議室',
  '投影機', '手機 App', '單一登入', '雙因素驗證', '公司入口網站', '請假系統', '報銷系統', 'OneDrive', 'SharePoint', 'Excel 巨集',
  '掃描器', '網路磁碟機', '遠端桌面', '打卡機', '分機電話', '門禁卡', 'Wi-Fi 訪客網路', '憑證', '防毒軟體', 'Windows 更新',
];
// prettier-ignore
const ZH_SYMPTOMS = [
  '無法連線', '顯示離線', '速度很慢', '一直當機', '無法登入', '列印佇列卡住', '出現錯誤訊息', '無法同步', '畫面全黑', '沒有聲音',
  '密碼過期', '帳號被鎖定', '憑證失效', '找不到裝置', '檔案無法開啟', '權限不足', '掃描後沒有檔案', '會議中斷線', '更新失敗', '驅動程式錯誤',
];
// prettier-ignore
const ZH_CAUSES = [
  '驅動程式版本過舊', '網路線鬆脫', 'DNS 設定錯誤', '密碼已過期', '防火牆阻擋連接埠', '磁碟空間不足', '快取檔案損毀', '群組原則尚未套用',
  '憑證已過期', '伺服器維護中', '使用者不在正確的安全性群組', '代理伺服器設定錯誤', '系統時間不正確', '硬體故障', '授權已到期',
];
// prettier-ignore
const ZH_STEPS = [
  '重新啟動電腦', '重新插拔網路線', '清除列印佇列', '更新驅動程式', '重新登入 VPN', '清除瀏覽器快取', '執行 ipconfig /flushdns',
  '確認帳號未被鎖定', '檢查磁碟剩餘空間', '重新安裝應用程式', '聯絡資訊服務台', '重設密碼', '重新註冊雙因素驗證', '檢查電源與指示燈',
  '在控制台移除後重新加入裝置', '確認系統時間與時區', '關閉後重新開啟 Wi-Fi', '改用有線網路測試',
];
const ZH_FILLER = [
  ...'的是在了不和有大這主中人上為們地個用工時要動國產以我到他會作來分生對於學下級就年階義發成部民可出能方進同行面說種過命度革而多子後自社加小機也經力線本電高量長黨得實家定深法表著水理化爭現所二起政三好十戰無農使性前等反體合斗路圖把結第里正新開論之物從當兩些還天資事隊批如應形想制心樣幹都向變關點育重其思與間內去因件日利相由壓員氣業代全組數果期導平各基或月毛然問比展那它最及外沒看治提五解系林者米群頭意只明四道馬認次文通但條較克又公孔領軍流入接席位情運器並飛原油放立題質指建區驗活眾很教決特此常石強極土少已根共直團統式轉別造切九你取西持總料連任志觀調七麼山程百報更見必真保熱委手改管處己將修支識病象幾先老光專什六型具示復安帶每東增則完風回南廣勞輪科北打積車計給節做務被整聯步類集號列溫裝即毫知軸研單色堅據速防史拉世設達爾場織歷花受求傳口斷況采精金界品判參層止邊清至萬確究書術狀廠須離再目海交權且兒青才證低越際八試規斯近注辦布門鐵需走議縣兵固除般引齒千勝細影濟白格效置推空配刀葉率述今選養德話查差半敵始片施響收華覺備名紅續均藥標記難存測士身緊液派準斤角降維板許破述技消底床田勢端感往神便賀村構照容非搞亞磨族火段算適講按值美態黃易彪服早班麥削信排台聲該擊素張密害侯草何樹肥繼右屬市嚴徑螺檢左頁抗蘇顯苦英快稱壞移約巴材省黑武培著河帝僅針怎植京助升王眼她抓含苗副雜普談圍食射源例致酸舊卻充足短劃劑宣環落首尺波承粉踐府魚隨考刻靠夠滿夫失包住促枝局菌桿周護岩師舉曲春元超負砂封換太模貧減陽揚江析畝木言球朝醫校古呢稻宋聽唯輸滑站另衛字鼓剛寫劉微略范供阿塊某功套友限項餘倒卷創律雨讓骨遠幫初皮播優占死毒圈偉季訓控激找叫雲互跟裂糧粒母練塞鋼頂策雙留誤礎吸阻故寸盾晚絲女散焊功株親院冷徹彈錯散商視藝滅版烈零室輕血倍缺厘泵察絕富城沖噴壤簡否柱李望盤磁雄似困鞏益洲脫投送奴側潤蓋揮距觸星松送獲興獨官混紀依未突架寬冬章濕偏紋吃執閥礦寨責熟穩奪硬價努翻奇甲預職評讀背協損棉侵灰雖矛厚羅泥辟告卵箱掌氧恩愛停曾溶營終綱孟錢待盡俄縮沙退陳討奮械載胞幼哪剝迫旋征槽倒握擔仍呀鮮吧卡粗介鑽逐弱腳怕鹽末陰豐霧冠丙街萊貝輻腸付吉滲瑞驚頓擠秒懸姆爛森糖聖凹陶詞遲蠶億矩',
];
// prettier-ignore
const EN_PRODUCTS = [
  'printer', 'network printer', 'multifunction copier', 'VPN client', 'wireless network', 'Outlook', 'Teams', 'ERP system',
  'laptop', 'desktop PC', 'external monitor', 'Bluetooth keyboard', 'shared folder', 'domain account', 'email', 'calendar',
  'file server', 'database', 'firewall', 'meeting room', 'projector', 'mobile app', 'single sign-on', 'two-factor authentication',
  'intranet portal', 'leave system', 'expense system', 'OneDrive', 'SharePoint', 'Excel macro', 'scanner', 'mapped drive',
  'remote desktop', 'badge reader', 'desk phone', 'guest Wi-Fi', 'certificate', 'antivirus', 'Windows Update', 'docking station',
];
// prettier-ignore
const EN_SYMPTOMS = [
  'cannot connect', 'shows offline', 'is very slow', 'keeps crashing', 'cannot sign in', 'print queue is stuck',
  'shows an error message', 'does not sync', 'screen stays black', 'has no sound', 'password expired', 'account is locked',
  'certificate is invalid', 'device not found', 'files will not open', 'access denied', 'scans never arrive',
  'drops out of meetings', 'update failed', 'driver error',
];
// prettier-ignore
const EN_CAUSES = [
  'an outdated driver', 'a loose network cable', 'wrong DNS settings', 'an expired password', 'a firewall blocking the port',
  'a full disk', 'a corrupted cache', 'group policy not applied yet', 'an expired certificate', 'server maintenance',
  'a missing security group membership', 'wrong proxy settings', 'an incorrect system clock', 'a hardware fault',
  'an expired licence',
];
// prettier-ignore
const EN_STEPS = [
  'restart the computer', 'reseat the network cable', 'clear the print queue', 'update the driver', 'reconnect the VPN',
  'clear the browser cache', 'run ipconfig /flushdns', 'check that the account is not locked', 'free some disk space',
  'reinstall the application', 'contact the service desk', 'reset the password', 're-register two-factor authentication',
  'check the power and status lights', 'remove and re-add the device', 'check the clock and time zone',
  'turn Wi-Fi off and on again', 'test on a wired connection',
];
const EN_FILLER = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they you were ' +
  'their one all we can her has there been if more when will would who so no other into time only could new some these ' +
  'two may first then do any like my now over such our man me even most made after also did many before must through back ' +
  'years where much your way well down should because each just those people how too little state good very make world ' +
  'still own see men work long get here between both life being under never day same another know while last might us ' +
  'great old year off come since against go came right used take three users office network setting policy team device ' +
  'service request access report storage backup server client session profile license update install configure browser ' +
  'connection window folder message folder desk support agent issue problem solution workaround manager approval budget'
).split(' ');
// prettier-ignore
const TAGS = [
  'printer', 'vpn', 'wifi', 'password', 'email', 'outlook', 'teams', 'erp', 'hardware', 'software', 'network', 'security',
  'account', 'windows', 'mac', 'mobile', 'meeting', 'storage', 'backup', 'onboarding', 'remote-work', 'certificate',
];

/** Category tree of the generated corpus: roots and their children (names). */
export const CATEGORY_TREE: Record<string, string[]> = {
  Hardware: ['Printers', 'Laptops', 'Monitors', 'Peripherals', 'Phones'],
  Network: ['VPN', 'Wi-Fi', 'Firewall', 'DNS', 'Proxy'],
  Accounts: ['Passwords', 'Two-factor', 'Permissions', 'Onboarding', 'Offboarding'],
  Collaboration: ['Email', 'Calendar', 'Teams', 'SharePoint', 'OneDrive'],
  'Business apps': ['ERP', 'Expenses', 'Leave', 'HR portal', 'Reporting'],
  Security: ['Antivirus', 'Certificates', 'Phishing', 'Encryption', 'Badges'],
  Workplace: ['Meeting rooms', 'Remote work', 'Facilities', 'Travel', 'Purchasing'],
  Software: ['Windows', 'macOS', 'Office', 'Browsers', 'Installations'],
};

export interface GeneratedDocument {
  type: 'article' | 'guide';
  language: 'zh-TW' | 'en';
  title: string;
  summary: string;
  body: string;
  tags: string[];
  symptoms: string[];
  errorCodes: string[];
  causes: string[];
  steps: string[];
  /** Index into the flattened leaf categories (see {@link leafCategories}). */
  leaf: number;
}

/** Leaf categories as [root, child] pairs, in a fixed order. */
export const leafCategories = (): [string, string][] =>
  Object.entries(CATEGORY_TREE).flatMap(([root, children]) => children.map((c): [string, string] => [root, c]));

/**
 * Document `i` of the corpus for `seed`: one in four is a guide with symptoms, error codes, causes and steps.
 * Bodies are Markdown of a few hundred words (English) or characters (Chinese).
 */
export function generateDocument(seed: number, i: number): GeneratedDocument {
  const rnd = prng(seed * 1_000_003 + i);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  // Zipf-like: low indexes are much more common, like the frequent words of a language.
  const zipf = <T>(list: readonly T[]): T => list[Math.floor(list.length * rnd() ** 2.2)]!;
  const several = <T>(list: readonly T[], min: number, max: number): T[] => {
    const n = min + Math.floor(rnd() * (max - min + 1));
    return [...new Set(Array.from({ length: n }, () => pick(list)))];
  };
  const zh = i % 2 === 0;
  const guide = i % 4 === 1 || i % 4 === 2;
  const product = pick(zh ? ZH_PRODUCTS : EN_PRODUCTS);
  const symptom = pick(zh ? ZH_SYMPTOMS : EN_SYMPTOMS);
  const symptoms = [symptom, ...several(zh ? ZH_SYMPTOMS : EN_SYMPTOMS, 0, 2)];
  const causes = several(zh ? ZH_CAUSES : EN_CAUSES, 1, 3);
  const steps = several(zh ? ZH_STEPS : EN_STEPS, 2, 6);
  const errorCodes = guide
    ? several(
        [
          `0x8007${(Math.floor(rnd() * 0xffff) | 0).toString(16).padStart(4, '0').toUpperCase()}`,
          `ERR-${100 + Math.floor(rnd() * 900)}`,
          `E${1000 + Math.floor(rnd() * 9000)}`,
        ],
        1,
        2,
      )
    : [];
  const filler = (sentences: number): string =>
    Array.from({ length: sentences }, () => {
      if (zh) {
        const n = 12 + Math.floor(rnd() * 25);
        return Array.from({ length: n }, () => zipf(ZH_FILLER)).join('') + '。';
      }
      const n = 8 + Math.floor(rnd() * 14);
      const words = Array.from({ length: n }, () => zipf(EN_FILLER));
      return words.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
    }).join(zh ? '' : ' ');
  const title = zh
    ? guide
      ? `${product}${symptom}的處理方式`
      : `${product}：${pick(['常見問題', '設定說明', '使用教學', '注意事項'])}（${symptom}）`
    : guide
      ? `How to fix: ${product} ${symptom}`
      : `${product}: ${pick(['frequently asked questions', 'set-up guide', 'how to use it', 'things to know'])} (${symptom})`;
  const summary = zh
    ? `${product}${symptom}時，通常是${causes[0]}。本文說明如何判斷與處理。`
    : `When the ${product} ${symptom}, the usual cause is ${causes[0]}. This explains how to check and fix it.`;
  const body = [
    zh ? '## 問題說明' : '## Problem',
    `${zh ? `使用者回報${product}${symptom}。` : `Users report that the ${product} ${symptom}.`} ${filler(3 + Math.floor(rnd() * 4))}`,
    zh ? '## 可能原因' : '## Possible causes',
    causes.map((c) => `- ${c}`).join('\n'),
    zh ? '## 處理步驟' : '## Steps',
    steps.map((s, n) => `${n + 1}. ${s}`).join('\n'),
    filler(2 + Math.floor(rnd() * 6)),
    ...(errorCodes.length > 0 ? [`${zh ? '相關錯誤代碼' : 'Related error codes'}: ${errorCodes.join(', ')}`] : []),
  ].join('\n\n');
  return {
    type: guide ? 'guide' : 'article',
    language: zh ? 'zh-TW' : 'en',
    title,
    summary,
    body,
    tags: several(TAGS, 1, 4),
    symptoms: guide ? symptoms : [],
    errorCodes,
    causes: guide ? causes : [],
    steps: guide ? steps : [],
    leaf: Math.floor(rnd() * leafCategories().length),
  };
}

export interface SearchCase {
  q: string;
  type?: 'article' | 'guide';
  tag?: string;
}

/**
 * Searches a reader of this corpus would type: Chinese (Traditional and Simplified), English, with filters,
 * and two error codes that guides of the corpus list.
 */
export const searchQueries = (seed: number): SearchCase[] => [
  ...BASE_QUERIES,
  { q: generateDocument(seed, 1).errorCodes[0]! },
  { q: generateDocument(seed, 6).errorCodes[0]!.toLowerCase() },
];

const BASE_QUERIES: SearchCase[] = [
  { q: '印表機' },
  { q: '列印佇列' },
  { q: '印表机无法连线' },
  { q: 'VPN 無法連線' },
  { q: '密碼過期' },
  { q: '帳號被鎖定 無法登入' },
  { q: '無線網路 速度很慢', type: 'guide' },
  { q: 'Outlook 無法同步' },
  { q: '憑證失效' },
  { q: '視訊會議室 沒有聲音', tag: 'meeting' },
  { q: 'printer offline' },
  { q: 'printers' },
  { q: 'vpn cannot connect' },
  { q: 'password expired' },
  { q: 'account locked', type: 'guide' },
  { q: 'outlook calendar does not sync' },
  { q: 'external monitor screen stays black' },
  { q: 'driver error', tag: 'hardware' },
  { q: 'how do I clear the print queue' },
  { q: '筆記型電腦 更新失敗 驅動程式錯誤' },
];

/** Ticket texts for `GET /suggestions`. */
export const SUGGESTION_TEXTS: { text: string; category?: string }[] = [
  { text: '會議室的印表機無法連線，列印佇列一直卡住，已經重新開機還是一樣', category: 'Hardware' },
  { text: '在家用 VPN 連不上公司網路，顯示憑證失效' },
  { text: '我的網域帳號被鎖定了，無法登入電腦也收不到電子郵件', category: 'Accounts' },
  { text: 'Outlook calendar does not sync with my phone since yesterday; meetings are missing' },
  { text: 'The laptop keeps crashing after Windows Update with a driver error 0x80070005', category: 'Software' },
  { text: 'Scans from the multifunction copier never arrive in the shared folder' },
];
