/**
 * Word banks for the demo organization: an LED-lighting exporter in Shenzhen selling worldwide.
 * Names follow the customer's country (Chinese names in CN/TW/HK/SG, local ones elsewhere) so the
 * lists, search and culture screens look like a real exporter's CRM.
 */

export type Team = 'Europe' | 'Americas' | 'Asia-Pacific' | 'Middle East & Africa';
/** Name/language groups: decide company names, person names, titles and contact language. */
export type Group =
  | 'zhCN' | 'zhTW' | 'zhHK' | 'sg' | 'en' | 'de' | 'fr' | 'it' | 'es' | 'pt' | 'nl' | 'pl' | 'sv' | 'tr'
  | 'ar' | 'ja' | 'ko' | 'vi' | 'th' | 'id' | 'ms' | 'in' | 'ng';

export interface Country {
  code: string;
  team: Team;
  group: Group;
  currency: 'USD' | 'EUR';
  weight: number;
  tld: string;
  dial: string;
  language: string;
  /** [city, region]; Chinese cities carry their pinyin for domains and emails. */
  cities: readonly (readonly [string, string])[];
}

const c = (
  code: string, team: Team, group: Group, weight: number, tld: string, dial: string, language: string,
  cities: [string, string][], currency: 'USD' | 'EUR' = 'USD',
): Country => ({ code, team, group, currency, weight, tld, dial, language, cities });

export const COUNTRIES: readonly Country[] = [
  c('US', 'Americas', 'en', 12, 'com', '+1', 'en', [['Los Angeles', 'California'], ['Chicago', 'Illinois'], ['Houston', 'Texas'], ['Miami', 'Florida'], ['New York', 'New York'], ['Atlanta', 'Georgia']]),
  c('CA', 'Americas', 'en', 3, 'ca', '+1', 'en', [['Toronto', 'Ontario'], ['Vancouver', 'British Columbia'], ['Montreal', 'Quebec']]),
  c('MX', 'Americas', 'es', 3, 'com.mx', '+52', 'es', [['Ciudad de México', 'CDMX'], ['Monterrey', 'Nuevo León'], ['Guadalajara', 'Jalisco']]),
  c('BR', 'Americas', 'pt', 3, 'com.br', '+55', 'pt', [['São Paulo', 'SP'], ['Rio de Janeiro', 'RJ'], ['Curitiba', 'PR']]),
  c('CL', 'Americas', 'es', 1.5, 'cl', '+56', 'es', [['Santiago', 'RM'], ['Valparaíso', 'V']]),
  c('DE', 'Europe', 'de', 8, 'de', '+49', 'de', [['Hamburg', 'Hamburg'], ['München', 'Bayern'], ['Frankfurt am Main', 'Hessen'], ['Köln', 'NRW'], ['Stuttgart', 'Baden-Württemberg']], 'EUR'),
  c('GB', 'Europe', 'en', 6, 'co.uk', '+44', 'en', [['London', 'England'], ['Manchester', 'England'], ['Birmingham', 'England'], ['Glasgow', 'Scotland']]),
  c('FR', 'Europe', 'fr', 5, 'fr', '+33', 'fr', [['Paris', 'Île-de-France'], ['Lyon', 'Auvergne-Rhône-Alpes'], ['Marseille', "Provence-Alpes-Côte d'Azur"]], 'EUR'),
  c('IT', 'Europe', 'it', 4, 'it', '+39', 'it', [['Milano', 'Lombardia'], ['Roma', 'Lazio'], ['Bologna', 'Emilia-Romagna']], 'EUR'),
  c('ES', 'Europe', 'es', 4, 'es', '+34', 'es', [['Madrid', 'Madrid'], ['Barcelona', 'Cataluña'], ['Valencia', 'Valencia']], 'EUR'),
  c('NL', 'Europe', 'nl', 3, 'nl', '+31', 'nl', [['Amsterdam', 'Noord-Holland'], ['Rotterdam', 'Zuid-Holland'], ['Eindhoven', 'Noord-Brabant']], 'EUR'),
  c('PL', 'Europe', 'pl', 3, 'pl', '+48', 'pl', [['Warszawa', 'Mazowieckie'], ['Kraków', 'Małopolskie'], ['Poznań', 'Wielkopolskie']]),
  c('SE', 'Europe', 'sv', 2, 'se', '+46', 'sv', [['Stockholm', 'Stockholm'], ['Göteborg', 'Västra Götaland'], ['Malmö', 'Skåne']]),
  c('TR', 'Europe', 'tr', 2, 'com.tr', '+90', 'tr', [['İstanbul', 'İstanbul'], ['Ankara', 'Ankara'], ['İzmir', 'İzmir']]),
  c('AE', 'Middle East & Africa', 'ar', 4, 'ae', '+971', 'en', [['Dubai', 'Dubai'], ['Abu Dhabi', 'Abu Dhabi'], ['Sharjah', 'Sharjah']]),
  c('SA', 'Middle East & Africa', 'ar', 3, 'sa', '+966', 'ar', [['Riyadh', 'Riyadh'], ['Jeddah', 'Makkah'], ['Dammam', 'Eastern Province']]),
  c('ZA', 'Middle East & Africa', 'en', 2, 'co.za', '+27', 'en', [['Johannesburg', 'Gauteng'], ['Cape Town', 'Western Cape'], ['Durban', 'KwaZulu-Natal']]),
  c('NG', 'Middle East & Africa', 'ng', 2, 'com.ng', '+234', 'en', [['Lagos', 'Lagos'], ['Abuja', 'FCT'], ['Port Harcourt', 'Rivers']]),
  c('CN', 'Asia-Pacific', 'zhCN', 8, 'cn', '+86', 'zh-CN', [['深圳', '广东'], ['广州', '广东'], ['上海', '上海'], ['北京', '北京'], ['杭州', '浙江'], ['成都', '四川'], ['武汉', '湖北']]),
  c('TW', 'Asia-Pacific', 'zhTW', 2, 'com.tw', '+886', 'zh-TW', [['台北', '台北市'], ['台中', '台中市'], ['高雄', '高雄市']]),
  c('HK', 'Asia-Pacific', 'zhHK', 2, 'com.hk', '+852', 'zh-TW', [['香港', '香港島'], ['九龍', '九龍']]),
  c('SG', 'Asia-Pacific', 'sg', 2, 'com.sg', '+65', 'en', [['Singapore', 'Singapore']]),
  c('AU', 'Asia-Pacific', 'en', 4, 'com.au', '+61', 'en', [['Sydney', 'NSW'], ['Melbourne', 'VIC'], ['Brisbane', 'QLD'], ['Perth', 'WA']]),
  c('JP', 'Asia-Pacific', 'ja', 2, 'co.jp', '+81', 'ja', [['Tokyo', 'Tokyo'], ['Osaka', 'Osaka'], ['Nagoya', 'Aichi']]),
  c('KR', 'Asia-Pacific', 'ko', 2, 'co.kr', '+82', 'ko', [['Seoul', 'Seoul'], ['Busan', 'Busan'], ['Incheon', 'Incheon']]),
  c('IN', 'Asia-Pacific', 'in', 3, 'in', '+91', 'en', [['Mumbai', 'Maharashtra'], ['New Delhi', 'Delhi'], ['Bengaluru', 'Karnataka']]),
  c('VN', 'Asia-Pacific', 'vi', 2, 'vn', '+84', 'vi', [['Hồ Chí Minh', 'Hồ Chí Minh'], ['Hà Nội', 'Hà Nội']]),
  c('TH', 'Asia-Pacific', 'th', 2, 'co.th', '+66', 'th', [['Bangkok', 'Bangkok'], ['Chiang Mai', 'Chiang Mai']]),
  c('ID', 'Asia-Pacific', 'id', 2, 'co.id', '+62', 'id', [['Jakarta', 'DKI Jakarta'], ['Surabaya', 'Jawa Timur']]),
  c('MY', 'Asia-Pacific', 'ms', 2, 'com.my', '+60', 'ms', [['Kuala Lumpur', 'Kuala Lumpur'], ['Penang', 'Penang']]),
];

/** Latin-script words: [word, slug] so domains stay ASCII. */
type W = readonly [string, string];
const w = (list: string): W[] =>
  list.split('|').map((x) => {
    const [word, slug] = x.split('=');
    return [word!, slug ?? word!.toLowerCase().normalize('NFD').replace(/[^a-z0-9]/g, '')] as const;
  });

export interface CompanyWords {
  first: W[];
  core: W[];
  partner: W[];
  suffix: string[];
  /** Chinese names are written without spaces. */
  joined?: boolean;
}

export const COMPANY: Record<Group, CompanyWords> = {
  zhCN: {
    first: w('明华=minghua|华辉=huahui|光宇=guangyu|星耀=xingyao|金辉=jinhui|瑞丰=ruifeng|恒达=hengda|永明=yongming|宏光=hongguang|鑫源=xinyuan|晶科=jingke|天成=tiancheng|佳美=jiamei|正泰=zhengtai|东方=dongfang|新纪元=xinjiyuan'),
    core: w('照明=lighting|灯饰=dengshi|光电=opto|电器=electric|建筑装饰工程=decoration|贸易=trading|科技=tech|照明工程=lightingeng'),
    partner: w('建筑设计研究院=design|照明设计事务所=lightingdesign|贸易代理=agency'),
    suffix: ['有限公司', '股份有限公司'],
    joined: true,
  },
  zhTW: {
    first: w('光宇=kuangyu|明輝=minghui|華星=huahsing|鼎盛=tingsheng|永豐=yungfeng|台光=taikuang|正隆=chenglung|大同=tatung'),
    core: w('照明=lighting|燈飾=lamps|光電=opto|電機=electric|工程=engineering|企業=enterprise'),
    partner: w('建築師事務所=architects|照明設計=lightingdesign|代理=agency'),
    suffix: ['股份有限公司', '有限公司'],
    joined: true,
  },
  zhHK: {
    first: w('宏達=wangtat|金星=kamsing|永利=winglee|華發=wahfat|德昌=takcheong|光明=kwongming'),
    core: w('燈飾=lighting|照明=illumination|電器=electrical|工程=engineering|貿易=trading'),
    partner: w('建築設計=design|採購代理=sourcing'),
    suffix: ['有限公司'],
    joined: true,
  },
  sg: {
    first: w('Lion City|Merlion|Orchard|Marina|Temasek|Straits|Raffles|Sentosa'),
    core: w('Lighting|Electrical|Engineering|Trading|Illumination'),
    partner: w('Design Studio|Sourcing Agency'),
    suffix: ['Pte Ltd'],
  },
  en: {
    first: w('Bright|Summit|Pioneer|Atlas|Evergreen|Northstar|Beacon|Harbor|Redwood|Keystone|Liberty|Crown|Sterling|Apex|Meridian|Lumen|Prairie|Coastal|Granite|Silverline'),
    core: w('Lighting|Illumination|Electrical Supply|Lighting Solutions|Electric|Fixtures|Energy Systems|Contractors|Retail Group|Facilities|Lamp Company|Light Works'),
    partner: w('Lighting Design Studio|Architects|Sourcing Agency|Trade Agency'),
    suffix: ['Inc.', 'LLC', 'Ltd', 'Corp.', 'Group'],
  },
  de: {
    first: w('Nordlicht|Lichtblick|Helios|Sonnenstrahl|Alpen|Rhein|Elb|Hanse|Bayern|Lumen|Stern|Kristall|Schwarzwald|Weser|Spree|Brandt'),
    core: w('Leuchten|Lichttechnik|Beleuchtung|Elektro|Lichtsysteme|Projektbau|Elektrohandel|Haustechnik'),
    partner: w('Lichtplanung|Architekten|Handelsagentur'),
    suffix: ['GmbH', 'GmbH & Co. KG', 'AG', 'KG'],
  },
  fr: {
    first: w('Lumière|Éclat|Clarté|Soleil|Azur|Atelier|Provence|Horizon|Lutèce|Étoile'),
    core: w('Éclairage|Luminaires|Électricité|Bâtiment|Distribution|Lumière Pro'),
    partner: w('Conception Lumière|Architectes|Agence Commerciale'),
    suffix: ['SARL', 'SAS', 'SA'],
  },
  it: {
    first: w('Luce|Stella|Sole|Lumina|Arco|Venezia|Milano|Aurora|Fiamma|Brera'),
    core: w('Illuminazione|Design|Impianti|Elettrica|Progetti|Lampade'),
    partner: w('Studio Luce|Architetti|Agenzia'),
    suffix: ['S.r.l.', 'S.p.A.'],
  },
  es: {
    first: w('Luz|Sol|Iberia|Brillante|Faro|Andes|Aurora|Levante|Azteca|Pacífico'),
    core: w('Iluminación|Eléctrica|Proyectos|Distribuciones|Instalaciones|Lámparas'),
    partner: w('Estudio de Iluminación|Arquitectos|Agencia Comercial'),
    suffix: ['S.L.', 'S.A.', 'S.A. de C.V.'],
  },
  pt: {
    first: w('Luz|Brilho|Sol|Horizonte|Paulista|Carioca|Atlântico|Aurora'),
    core: w('Iluminação|Elétrica|Projetos|Distribuidora|Luminárias'),
    partner: w('Estúdio de Iluminação|Arquitetura|Representações'),
    suffix: ['Ltda.', 'S.A.'],
  },
  nl: {
    first: w('Lichtwerk|Zonnestraal|Polder|Delta|Oranje|Noorder|Maas|Tulp'),
    core: w('Verlichting|Elektro|Techniek|Installaties|Groothandel'),
    partner: w('Lichtontwerp|Architecten|Handelsagentuur'),
    suffix: ['B.V.', 'N.V.'],
  },
  pl: {
    first: w('Świetlik=swietlik|Jasna|Wisła=wisla|Polar|Bałtyk=baltyk|Mazowsze|Orzeł=orzel'),
    core: w('Oświetlenie=oswietlenie|Elektro|Instalacje|Hurtownia'),
    partner: w('Pracownia Projektowa=projekt|Agencja Handlowa=agencja'),
    suffix: ['Sp. z o.o.', 'S.A.'],
  },
  sv: {
    first: w('Nordljus|Fjäll=fjall|Skärgård=skargard|Polstjärna=polstjarna|Vasa'),
    core: w('Belysning|El|Ljus|Installation'),
    partner: w('Ljusdesign|Arkitekter'),
    suffix: ['AB'],
  },
  tr: {
    first: w('Işık=isik|Güneş=gunes|Anadolu|Boğaziçi=bogazici|Yıldız=yildiz|Marmara'),
    core: w('Aydınlatma=aydinlatma|Elektrik|Proje|Yapı=yapi'),
    partner: w('Mimarlık=mimarlik|Dış Ticaret=disticaret'),
    suffix: ['A.Ş.', 'Ltd. Şti.'],
  },
  ar: {
    first: w('Al Noor|Al Fajr|Gulf|Desert Star|Emirates|Arabian|Al Manara|Al Waha|Najd|Red Sea'),
    core: w('Lighting|Electrical Trading|Contracting|Lighting Solutions|General Trading'),
    partner: w('Engineering Consultants|Trading Agency'),
    suffix: ['LLC', 'FZE', 'Co. Ltd'],
  },
  ja: {
    first: w('Hikari|Sakura|Fuji|Nippon|Tokai|Kansai|Asahi'),
    core: w('Lighting|Denki|Shomei|Electric'),
    partner: w('Sekkei|Trading'),
    suffix: ['Co., Ltd.', 'K.K.'],
  },
  ko: {
    first: w('Hanbit|Daehan|Seoul|Mirae|Saebyeok|Hangang'),
    core: w('Lighting|Electric|Tech|Engineering'),
    partner: w('Design Group|Trading'),
    suffix: ['Co., Ltd.'],
  },
  vi: {
    first: w('Sao Mai=saomai|Ánh Dương=anhduong|Hồng Hà=hongha|Rạng Đông=rangdong|Phương Nam=phuongnam'),
    core: w('Lighting|Electric|Construction'),
    partner: w('Design|Trading'),
    suffix: ['JSC', 'Co., Ltd.'],
  },
  th: {
    first: w('Siam|Chao Phraya|Sukhumvit|Lanna|Rattana'),
    core: w('Lighting|Electric|Engineering'),
    partner: w('Design|Trading'),
    suffix: ['Co., Ltd.', 'Public Co., Ltd.'],
  },
  id: {
    first: w('Cahaya|Terang|Nusantara|Sinar|Bintang'),
    core: w('Abadi|Elektrik|Lighting|Jaya'),
    partner: w('Desain|Niaga'),
    suffix: ['PT'],
  },
  ms: {
    first: w('Bintang|Cahaya|Mutiara|Seri|Gemilang'),
    core: w('Lighting|Electrical|Engineering'),
    partner: w('Design|Trading'),
    suffix: ['Sdn Bhd'],
  },
  in: {
    first: w('Bharat|Shakti|Surya|Deccan|Ganga|Jyoti|Prakash'),
    core: w('Lighting|Electricals|Lights|Projects'),
    partner: w('Design Consultants|Trading Agency'),
    suffix: ['Pvt. Ltd.', 'Ltd.'],
  },
  ng: {
    first: w('Eko|Niger|Delta|Zenith|Unity|Lekki'),
    core: w('Lighting|Electrical|Power Solutions|Engineering'),
    partner: w('Consultants|Trading'),
    suffix: ['Ltd', 'Nigeria Ltd'],
  },
};

/** [native, latin]: Chinese names carry pinyin (or Wade–Giles / Cantonese) for email addresses. */
type N = readonly [string, string];
const n = (list: string): N[] => list.split('|').map((x) => {
  const [a, b] = x.split('=');
  return [a!, b ?? a!] as const;
});

export interface PersonNames {
  given: N[];
  family: N[];
  /** Chinese order (family name first, no space). */
  chinese?: boolean;
}

const EN_GIVEN = n('James|Mary|Robert|Patricia|John|Jennifer|Michael|Linda|David|Elizabeth|William|Susan|Richard|Jessica|Thomas|Sarah|Daniel|Karen|Matthew|Emily|Andrew|Laura|Mark|Rachel');
export const PEOPLE: Record<Group, PersonNames> = {
  zhCN: {
    family: n('王=wang|李=li|张=zhang|刘=liu|陈=chen|杨=yang|黄=huang|赵=zhao|吴=wu|周=zhou|徐=xu|孙=sun|马=ma|朱=zhu|胡=hu|郭=guo|何=he|林=lin|罗=luo|梁=liang'),
    given: n('伟=wei|芳=fang|娜=na|敏=min|静=jing|丽=li|强=qiang|磊=lei|军=jun|洋=yang|勇=yong|艳=yan|杰=jie|涛=tao|明=ming|超=chao|秀英=xiuying|华=hua|建国=jianguo|志强=zhiqiang|晓东=xiaodong|海燕=haiyan|文博=wenbo|子涵=zihan|思远=siyuan|佳怡=jiayi'),
    chinese: true,
  },
  zhTW: {
    family: n('陳=chen|林=lin|黃=huang|張=chang|李=lee|王=wang|吳=wu|劉=liu|蔡=tsai|楊=yang|許=hsu|鄭=cheng|謝=hsieh|郭=kuo'),
    given: n('志明=chihming|淑芬=shufen|家豪=chiahao|美玲=meiling|俊傑=chunchieh|雅婷=yating|建宏=chienhung|怡君=yichun|宗翰=tsunghan|佩珊=peishan'),
    chinese: true,
  },
  zhHK: {
    family: n('陳=chan|黃=wong|李=lee|張=cheung|梁=leung|劉=lau|林=lam|吳=ng|楊=yeung|何=ho|郭=kwok|謝=tse'),
    given: n('家豪=kaho|嘉欣=kayan|偉倫=wailun|詠詩=wingsze|俊傑=chunkit|美儀=meiyee|志強=chikeung|曉彤=hiutung'),
    chinese: true,
  },
  sg: {
    family: n('Tan|Lim|Lee|Ng|Ong|Wong|Goh|Chua|Koh|Teo'),
    given: n('Jason|Michelle|Kelvin|Cheryl|Raymond|Joanne|Darren|Grace|Benjamin|Vivian'),
  },
  en: { family: n('Smith|Johnson|Williams|Brown|Jones|Miller|Davis|Wilson|Anderson|Taylor|Thomas|Moore|Martin|Clark|Walker|Hall|Young|Wright|Scott|Baker'), given: EN_GIVEN },
  de: {
    family: n('Müller=mueller|Schmidt|Schneider|Fischer|Weber|Meyer|Wagner|Becker|Schulz|Hoffmann|Koch|Richter|Klein|Wolf|Neumann'),
    given: n('Lukas|Anna|Jonas|Lea|Felix|Laura|Maximilian|Sophie|Tobias|Julia|Stefan|Katrin|Jürgen=juergen|Sabine'),
  },
  fr: {
    family: n('Martin|Bernard|Dubois|Thomas|Robert|Richard|Petit|Durand|Leroy|Moreau|Lefèvre=lefevre|Girard'),
    given: n('Jean|Marie|Pierre|Camille|Nicolas|Julie|Antoine|Claire|Julien|Élodie=elodie|Mathieu|Sophie'),
  },
  it: {
    family: n('Rossi|Russo|Ferrari|Esposito|Bianchi|Romano|Colombo|Ricci|Marino|Greco|Bruno|Conti'),
    given: n('Marco|Giulia|Alessandro|Francesca|Luca|Chiara|Matteo|Sara|Andrea|Elena|Paolo|Valentina'),
  },
  es: {
    family: n('García=garcia|Rodríguez=rodriguez|González=gonzalez|Fernández=fernandez|López=lopez|Martínez=martinez|Sánchez=sanchez|Pérez=perez|Gómez=gomez|Díaz=diaz|Torres|Ramírez=ramirez'),
    given: n('Carlos|María=maria|José=jose|Lucía=lucia|Javier|Carmen|Miguel|Ana|Alejandro|Laura|Diego|Sofía=sofia'),
  },
  pt: {
    family: n('Silva|Santos|Oliveira|Souza|Pereira|Costa|Rodrigues|Almeida|Nascimento|Lima|Carvalho|Ferreira'),
    given: n('João=joao|Ana|Pedro|Mariana|Lucas|Juliana|Rafael|Camila|Gabriel|Fernanda|Bruno|Beatriz'),
  },
  nl: {
    family: n('de Jong=dejong|Jansen|de Vries=devries|van den Berg=vandenberg|Bakker|Visser|Smit|Meijer|Mulder|de Boer=deboer'),
    given: n('Daan|Emma|Sem|Sanne|Lars|Lotte|Bram|Fleur|Thijs|Anouk'),
  },
  pl: {
    family: n('Nowak|Kowalski|Wiśniewski=wisniewski|Wójcik=wojcik|Kamiński=kaminski|Lewandowski|Zieliński=zielinski|Szymański=szymanski'),
    given: n('Piotr|Anna|Krzysztof|Katarzyna|Tomasz|Magdalena|Paweł=pawel|Agnieszka|Michał=michal|Joanna'),
  },
  sv: {
    family: n('Andersson|Johansson|Karlsson|Nilsson|Eriksson|Larsson|Olsson|Persson'),
    given: n('Erik|Anna|Lars|Maria|Johan|Karin|Anders|Emma|Oskar|Elin'),
  },
  tr: {
    family: n('Yılmaz=yilmaz|Kaya|Demir|Şahin=sahin|Çelik=celik|Yıldız=yildiz|Aydın=aydin|Öztürk=ozturk'),
    given: n('Mehmet|Ayşe=ayse|Mustafa|Fatma|Ahmet|Elif|Emre|Zeynep|Murat|Selin'),
  },
  ar: {
    family: n('Al Mansouri=almansouri|Al Hashimi=alhashimi|Al Qahtani=alqahtani|Al Harbi=alharbi|Haddad|Khoury|Al Farsi=alfarsi|Nasser'),
    given: n('Mohammed|Fatima|Ahmed|Aisha|Omar|Layla|Khalid|Noura|Yousef|Mariam|Hassan|Rania'),
  },
  ja: {
    family: n('Sato|Suzuki|Takahashi|Tanaka|Watanabe|Ito|Yamamoto|Nakamura|Kobayashi|Kato'),
    given: n('Hiroshi|Yuki|Takeshi|Aiko|Kenji|Naoko|Daisuke|Emi|Satoshi|Haruka'),
  },
  ko: {
    family: n('Kim|Lee|Park|Choi|Jung|Kang|Cho|Yoon|Jang|Lim'),
    given: n('Min-jun|Seo-yeon|Ji-hoon|Ha-eun|Hyun-woo|Ji-woo|Dong-hyun|Soo-ah|Sung-min|Yu-na'),
  },
  vi: {
    family: n('Nguyễn=nguyen|Trần=tran|Lê=le|Phạm=pham|Hoàng=hoang|Vũ=vu|Đặng=dang|Bùi=bui'),
    given: n('Minh|Lan|Hùng=hung|Hương=huong|Tuấn=tuan|Linh|Dũng=dung|Thảo=thao'),
  },
  th: {
    family: n('Saetang|Srisuk|Wongsawat|Chaiyaporn|Rattanakorn|Somboon'),
    given: n('Somchai|Siriporn|Anan|Kanya|Niran|Malee|Prasert|Wanida'),
  },
  id: {
    family: n('Wijaya|Santoso|Gunawan|Hidayat|Saputra|Susanto|Halim|Kurniawan'),
    given: n('Budi|Siti|Agus|Dewi|Andi|Ratna|Hendra|Putri'),
  },
  ms: {
    family: n('Abdullah|Ibrahim|Ismail|Rahman|Tan|Lim|Wong|Yusof'),
    given: n('Ahmad|Nurul|Faizal|Siti|Hafiz|Aishah|Wei Ming=weiming|Mei Ling=meiling'),
  },
  in: {
    family: n('Sharma|Patel|Singh|Kumar|Gupta|Reddy|Iyer|Mehta|Shah|Nair'),
    given: n('Rahul|Priya|Amit|Anjali|Vikram|Neha|Rajesh|Pooja|Arjun|Kavita'),
  },
  ng: {
    family: n('Okafor|Adeyemi|Ogunleye|Eze|Balogun|Nwosu|Bello|Okonkwo'),
    given: n('Chinedu|Ngozi|Adebayo|Funmilayo|Emeka|Amaka|Tunde|Chiamaka'),
  },
};

/** Job families of the buyer's people: each maps to a department, the buying roles it usually plays, and titles. */
export interface JobFamily {
  key: string;
  department: string;
  roles: readonly string[];
  influence: readonly [number, number];
  en: readonly string[];
  zh: readonly string[];
  zhTW: readonly string[];
}

export const JOBS: Record<string, JobFamily> = {
  ceo: { key: 'ceo', department: 'management', roles: ['decider', 'approver'], influence: [5, 5], en: ['CEO', 'General Manager', 'Managing Director', 'Owner'], zh: ['总经理', '董事长'], zhTW: ['總經理', '董事長'] },
  purchasing: { key: 'purchasing', department: 'purchasing', roles: ['buyer', 'gatekeeper'], influence: [3, 4], en: ['Purchasing Manager', 'Procurement Manager', 'Senior Buyer', 'Sourcing Manager'], zh: ['采购经理', '采购主管', '采购专员'], zhTW: ['採購經理', '採購主管'] },
  cto: { key: 'cto', department: 'engineering', roles: ['approver', 'influencer'], influence: [4, 5], en: ['CTO', 'Technical Director', 'Head of Engineering'], zh: ['技术总监', '总工程师'], zhTW: ['技術總監', '總工程師'] },
  engineer: { key: 'engineer', department: 'engineering', roles: ['user', 'influencer'], influence: [2, 3], en: ['Lighting Engineer', 'Project Engineer', 'Electrical Engineer', 'Quality Engineer'], zh: ['工程师', '照明设计师', '质量工程师'], zhTW: ['工程師', '照明設計師'] },
  finance: { key: 'finance', department: 'finance', roles: ['influencer', 'approver'], influence: [3, 4], en: ['CFO', 'Finance Manager', 'Financial Controller'], zh: ['财务经理', '财务总监'], zhTW: ['財務經理', '財務長'] },
  product: { key: 'product', department: 'product', roles: ['initiator', 'user'], influence: [2, 4], en: ['Product Manager', 'Category Manager', 'Marketing Manager'], zh: ['产品经理', '市场经理'], zhTW: ['產品經理', '行銷經理'] },
  project: { key: 'project', department: 'operations', roles: ['initiator', 'user'], influence: [3, 4], en: ['Project Manager', 'Operations Manager', 'Facility Manager'], zh: ['项目经理', '运营经理'], zhTW: ['專案經理', '營運經理'] },
  assistant: { key: 'assistant', department: 'administration', roles: ['gatekeeper'], influence: [1, 2], en: ['Purchasing Assistant', 'Office Manager', 'Executive Assistant'], zh: ['采购助理', '总经理助理', '前台'], zhTW: ['採購助理', '總經理助理'] },
};

export const PRODUCTS = [
  ['LED panel lights 600×600', 'LED面板灯'],
  ['Linear high-bays', '线性工矿灯'],
  ['Track spotlights', '轨道射灯'],
  ['LED street lights', 'LED路灯'],
  ['Flood lights', '投光灯'],
  ['Downlights', '筒灯'],
  ['LED strips', 'LED灯带'],
  ['Smart lighting controls', '智能照明控制'],
  ['Emergency lighting', '应急照明'],
  ['Tri-proof battens', '三防灯'],
  ['Solar garden lights', '太阳能庭院灯'],
  ['Filament bulbs', '灯丝灯泡'],
] as const;

export const DEAL_PURPOSES: Record<string, readonly (readonly [string, string])[]> = {
  new_task: [['new collection', '新品系列'], ['private label launch', '贴牌新品'], ['hotel project', '酒店项目'], ['warehouse retrofit', '仓库改造'], ['public tender', '政府招标'], ['office project', '办公楼项目']],
  modified_rebuy: [['spec upgrade', '规格升级'], ['new colour temperature', '新色温'], ['range extension', '扩充系列'], ['price renegotiation', '价格重谈']],
  straight_rebuy: [['repeat order', '返单'], ['annual contract', '年度合同'], ['replenishment', '补货']],
};

export const COMPETITORS = [
  'Opple Lighting', 'Signify', 'Ledvance', 'TCP', 'Yankon', 'NVC Lighting', 'MLS', 'Leedarson', 'Zumtobel', 'Local supplier',
];

export const TRADE_FAIRS = [
  'Canton Fair', 'Light + Building Frankfurt', 'Guangzhou International Lighting Exhibition', 'Hong Kong Lighting Fair',
  'LightFair', 'Light Middle East', 'Lightexpo Africa',
];

export const CONTAINER_USD = 45000;
/** EUR→USD around the demo period; orders carry the rate of their day. */
export const EUR_USD = 1.08;
