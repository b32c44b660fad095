#!/usr/bin/env python3
"""Writes the sample records in records/ (partners.yaml, agreements.yaml, honorees.csv).

The sample reproduces the figures of the department's public page exactly: partner
organizations by country (34 Japan, 18 South Korea, 17 China, 12 United States, 9 Taiwan,
8 Russia, 5 Turkey; 122 in 22 countries) and 195 honorary titles since 1978 (37 / 98 / 60,
20 countries, 57 Japan, 29 South Korea, 8 China).  The partners the page names are real;
every other organization and every person is made up (partners carry ``sample: true``).

Run it again only to regenerate the sample; it is deterministic (seeded).
institution.yaml is written by hand and is not touched.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import sys
from pathlib import Path

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "records"
RNG = random.Random(1942)
TODAY = dt.date(2026, 11, 27)

# ----------------------------------------------------------------------------- real partners
REAL_PARTNERS = [
    dict(
        id="yonsei-university",
        name="Yonsei University",
        native_name="연세대학교",
        name_mn="Ёнсэй их сургууль",
        kind="university",
        country="KR",
        city="Seoul",
        website="https://www.yonsei.ac.kr",
    ),
    dict(
        id="tianjin-university-of-tcm",
        name="Tianjin University of Traditional Chinese Medicine",
        native_name="天津中医药大学",
        name_mn="Тяньжиний Уламжлалт Хятад Анагаах Ухааны Их Сургууль",
        kind="university",
        country="CN",
        city="Tianjin",
        website="https://www.tjutcm.edu.cn",
    ),
    dict(
        id="tokyo-ariake-university",
        name="Tokyo Ariake University of Medical and Health Sciences",
        native_name="東京有明医療大学",
        name_mn="Токиогийн Ариакэ Анагаах Ухаан, Эрүүл Мэндийн Их Сургууль",
        kind="university",
        country="JP",
        city="Tokyo",
        website="https://www.tau.ac.jp",
    ),
    dict(
        id="harvard-medical-school",
        name="Harvard Medical School",
        name_mn="Харвардын Анагаах Ухааны Сургууль",
        kind="university",
        country="US",
        city="Boston",
        website="https://hms.harvard.edu",
    ),
    dict(
        id="university-of-georgia",
        name="University of Georgia",
        name_mn="Жоржиагийн Их Сургууль",
        kind="university",
        country="US",
        city="Athens, Georgia",
        website="https://www.uga.edu",
    ),
    dict(
        id="korea-education-exchange-association",
        name="International Education Exchange Association of the Republic of Korea",
        native_name="한국국제교육교류협회",
        name_mn="БНСУ-ын Олон Улсын Боловсролын Солилцооны Холбоо",
        kind="association",
        country="KR",
        city="Seoul",
    ),
    dict(
        id="hankuk-university", name="Hankuk University", native_name="한국대학교", name_mn="Ханкук их сургууль", kind="university", country="KR", city="Seoul"
    ),
    dict(
        id="jeju-international-university",
        name="Jeju International University",
        native_name="제주국제대학교",
        name_mn="Жэжү олон улсын их сургууль",
        kind="university",
        country="KR",
        city="Jeju",
    ),
    # The page's sentence places New Tokyo University "in the United States"; it is recorded in Japan,
    # which its name suggests.  Change 'country' if the department knows otherwise.
    dict(
        id="new-tokyo-university",
        name="New Tokyo University",
        native_name="新東京大学",
        name_mn="Шинэ Токио их сургууль",
        kind="university",
        country="JP",
        city="Tokyo",
    ),
    dict(
        id="austria-federal-government",
        name="Government of the Republic of Austria",
        native_name="Regierung der Republik Österreich",
        name_mn="Бүгд Найрамдах Австри Улсын Засгийн газар",
        kind="government",
        country="AT",
        city="Vienna",
    ),
]

# ----------------------------------------------------------------------------- made-up partners
# (place in Latin, place in the native script) and (kind, English pattern, native pattern)
PLACES = {
    "JP": [
        ("Hoshigaoka", "星ヶ丘"),
        ("Midorikawa", "緑川"),
        ("Aobadai", "青葉台"),
        ("Sakuragaoka", "桜ヶ丘"),
        ("Wakabano", "若葉野"),
        ("Asahino", "朝日野"),
        ("Shirasagi", "白鷺"),
        ("Tsukimino", "月見野"),
        ("Kazahaya", "風早"),
        ("Hinode", "日の出"),
        ("Kotobuki", "寿"),
        ("Minamihara", "南原"),
        ("Takanodai", "鷹の台"),
        ("Izumigaoka", "泉ヶ丘"),
        ("Matsubara", "松原"),
        ("Umegaoka", "梅ヶ丘"),
        ("Kiyosato", "清里"),
    ],
    "KR": [
        ("Hanbit", "한빛"),
        ("Saebom", "새봄"),
        ("Pureunsol", "푸른솔"),
        ("Hangaram", "한가람"),
        ("Mirinae", "미리내"),
        ("Neulpureun", "늘푸른"),
        ("Dasom", "다솜"),
        ("Gaon", "가온"),
    ],
    "CN": [
        ("Qingshan", "青山"),
        ("Mingde", "明德"),
        ("Huakang", "华康"),
        ("Renhe", "仁和"),
        ("Donglin", "东林"),
        ("Beichen", "北辰"),
        ("Nanxing", "南星"),
        ("Jinghu", "镜湖"),
    ],
    "TW": [("Qingyun", "青雲"), ("Ciguang", "慈光"), ("Minghua", "明華"), ("Anhe", "安和"), ("Lanyang", "蘭陽")],
    "RU": [("Severorechensk", "Североречен"), ("Belogorsk-Sample", "Белогор"), ("Zarechny", "Заречен"), ("Sosnovy Bor", "Сосновобор")],
    "US": [("Maple Ridge", None), ("Silver Lake", None), ("Oakmont Valley", None), ("Willow Creek", None), ("Brightwater", None)],
    "TR": [("Yeşiltepe", "Yeşiltepe"), ("Karaçam", "Karaçam"), ("Gökova", "Gökova")],
}
TYPES = {
    "JP": [("university", "{} Medical University", "{}医科大学"), ("hospital", "{} General Hospital", "{}総合病院")],
    "KR": [("university", "{} University of Medicine", "{}의과대학교"), ("hospital", "{} Medical Center", "{}의료원")],
    "CN": [("university", "{} Medical University", "{}医科大学"), ("hospital", "{} People's Hospital", "{}人民医院")],
    "TW": [("university", "{} Medical University", "{}醫學大學"), ("hospital", "{} Memorial Hospital", "{}紀念醫院")],
    "RU": [
        ("university", "{} State Medical University", "{}ский государственный медицинский университет"),
        ("research-institute", "{} Research Institute of Medicine", "{}ский научно-исследовательский институт медицины"),
    ],
    "US": [("university", "{} College of Medicine", None), ("hospital", "{} Medical Center", None)],
    "TR": [("university", "{} University of Health Sciences", "{} Sağlık Bilimleri Üniversitesi"), ("hospital", "{} Training Hospital", "{} Eğitim Hastanesi")],
}
CITIES = {"JP": "Tokyo", "KR": "Seoul", "CN": "Beijing", "TW": "Taipei", "RU": "Moscow", "US": "New York", "TR": "Ankara"}
# Other countries: (code, city, [(name, native or None, kind)])
OTHERS = [
    ("AT", "Graz", [("Lindenau Medical University", "Medizinische Universität Lindenau", "university")]),
    (
        "DE",
        "Berlin",
        [
            ("Hohenfeld University Hospital", "Universitätsklinikum Hohenfeld", "hospital"),
            ("Rheinau Institute of Public Health", "Rheinau-Institut für Öffentliche Gesundheit", "research-institute"),
        ],
    ),
    ("GB", "London", [("Ashbourne School of Tropical Medicine", None, "university"), ("Kingsmere University", None, "university")]),
    ("FR", "Lyon", [("Université de Saint-Aubrac", "Université de Saint-Aubrac", "university")]),
    ("IT", "Bologna", [("Valverde Institute of Medicine", "Istituto di Medicina Valverde", "research-institute")]),
    ("KZ", "Almaty", [("Steppe Medical University", "Дала медицина университеті", "university"), ("Altyn Emel Hospital", "Алтын Емел ауруханасы", "hospital")]),
    ("IN", "Pune", [("Sahyadri Institute of Medical Sciences", "सह्याद्री आयुर्विज्ञान संस्थान", "university")]),
    ("TH", "Chiang Mai", [("Doi Kham Medical College", "วิทยาลัยแพทย์ดอยคำ", "university")]),
    ("VN", "Hue", [("Song Huong Medical University", "Trường Đại học Y Sông Hương", "university")]),
    ("AU", "Perth", [("Swan Valley Health University", None, "university")]),
    ("CA", "Halifax", [("Bluenose College of Medicine", None, "university")]),
    ("HU", "Pécs", [("Mecsek Medical University", "Mecseki Orvostudományi Egyetem", "university")]),
    ("CZ", "Brno", [("Svitava Faculty of Medicine", "Lékařská fakulta Svitava", "university")]),
    ("PL", "Kraków", [("Wawel Medical Academy", "Akademia Medyczna Wawel", "university")]),
    ("SG", "Singapore", [("Merlion Institute of Health", None, "research-institute")]),
]
COUNTS = {"JP": 34, "KR": 18, "CN": 17, "US": 12, "TW": 9, "RU": 8, "TR": 5}

REPRESENTATIVE_NAMES = {
    "JP": ["Prof. Hiroshi Ueno", "Prof. Keiko Mori", "Dr. Satoshi Ishida"],
    "KR": ["Prof. Jiwon Han", "Dr. Sungmin Yoon"],
    "CN": ["Prof. Wei Zhou", "Prof. Lan Xu"],
    "TW": ["Prof. Chia-Hao Wu"],
    "RU": ["Prof. Alexei Morozov", "Prof. Irina Volkova"],
    "US": ["Dr. Emily Carter", "Dr. Michael Grant"],
    "TR": ["Prof. Elif Arslan"],
}


def slug(text: str) -> str:
    text = text.lower()
    for a, b in {"ş": "s", "ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ü": "u", "é": "e", "'": ""}.items():
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def made_up_partners() -> list[dict]:
    partners = []
    real_counts: dict[str, int] = {}
    for p in REAL_PARTNERS:
        real_counts[p["country"]] = real_counts.get(p["country"], 0) + 1
    for code, total in COUNTS.items():
        need = total - real_counts.get(code, 0)
        combos = [(place, kind) for kind in TYPES[code] for place in PLACES[code]]
        for i in range(need):
            (latin, native), (kind, en_pattern, native_pattern) = combos[i]
            name = en_pattern.format(latin)
            native_name = native_pattern.format(native) if native_pattern and native else None
            partner = dict(id=slug(name), name=name, native_name=native_name, kind=kind, country=code, city=CITIES[code])
            reps = REPRESENTATIVE_NAMES[code]
            partner["representative"] = dict(name=reps[i % len(reps)], title="President" if kind == "university" else "Director")
            partners.append(partner)
    for code, city, items in OTHERS:
        for name, native_name, kind in items:
            partners.append(
                dict(
                    id=slug(name),
                    name=name,
                    native_name=native_name,
                    kind=kind,
                    country=code,
                    city=city,
                    representative=dict(name="Prof. A. Sample", title="Rector" if kind == "university" else "Director"),
                )
            )
    for p in partners:
        p["sample"] = True
    return partners


# ----------------------------------------------------------------------------- agreements
ACTIVITIES = [
    "exchange of faculty members for teaching and research",
    "exchange of undergraduate and graduate students",
    "joint research projects and joint publications",
    "joint conferences, seminars and workshops",
    "exchange of academic materials and publications",
    "clinical training of residents in partner hospitals",
    "continuing medical education courses for physicians",
    "short-term visits of nursing and public health students",
]

#: The activities in Mongolian, written as activities_mn for Mongolian and bilingual drafts.
ACTIVITIES_MN = {
    "exchange of faculty members for teaching and research": "багш нарыг сургалт, судалгааны ажлаар солилцох",
    "exchange of undergraduate and graduate students": "бакалавр, магистр, докторын оюутан солилцох",
    "joint research projects and joint publications": "хамтарсан судалгааны төсөл хэрэгжүүлж, хамтарсан бүтээл хэвлүүлэх",
    "joint conferences, seminars and workshops": "хамтарсан хурал, семинар, сургалт зохион байгуулах",
    "exchange of academic materials and publications": "эрдэм шинжилгээний материал, хэвлэл солилцох",
    "clinical training of residents in partner hospitals": "резидент эмч нарыг түнш эмнэлгүүдэд эмнэлзүйн дадлагад хамруулах",
    "continuing medical education courses for physicians": "эмч нарт зориулсан мэргэжил дээшлүүлэх тасралтгүй сургалт зохион байгуулах",
    "short-term visits of nursing and public health students": "сувилахуй, нийгмийн эрүүл мэндийн оюутнуудын богино хугацааны айлчлал",
    "a foreign-language library established by Yonsei University at MNUMS": "Ёнсэй их сургуулийн АШУҮИС-д байгуулсан гадаад хэлний номын сан",
    "a central laboratory of science and technology": "шинжлэх ухаан, технологийн төв лаборатори",
    "a teacher and student exchange programme": "багш, оюутан солилцооны хөтөлбөр",
    "joint training of acupuncturists by the School of Traditional Medicine": "Уламжлалт анагаах ухааны сургуульд зүү засалч хамтран бэлтгэх",
    "joint training of traditional medical therapists": "уламжлалт анагаахын эмчилгээч хамтран бэлтгэх",
    "T2T and T2C training courses for MNUMS faculty": "АШУҮИС-ийн багш нарт зориулсан T2T, T2C сургалт",
    "new medical and laboratory equipment for MNUMS and its affiliated hospitals": "АШУҮИС болон харьяа эмнэлгүүдэд эмнэлгийн болон лабораторийн шинэ тоног төхөөрөмж нийлүүлэх",
    "two years of study at MNUMS followed by four years at the University of Georgia": "АШУҮИС-д хоёр жил, дараа нь Жоржиагийн их сургуульд дөрвөн жил суралцах",
}

REAL_AGREEMENTS = [
    dict(
        id="yonsei-cooperation-1993",
        kind="cooperation-agreement",
        title="Cooperation Agreement between MNUMS and Yonsei University",
        partners=["yonsei-university"],
        status="active",
        signed_on="1993",
        valid_until="2027-03-31",
        areas=["science", "technology", "education", "health"],
        activities=[
            "a foreign-language library established by Yonsei University at MNUMS",
            "a central laboratory of science and technology",
            "a teacher and student exchange programme",
        ],
        highlight="Cooperation with Yonsei University of the Republic of Korea since 1993: a foreign library, a central laboratory of science and technology, and a teacher-student exchange programme.",
        highlight_mn="1993 оноос БНСУ-ын Ёнсэй их сургуультай хамтран ажиллаж, гадаад номын сан, шинжлэх ухаан, технологийн төв лаборатори байгуулж, багш, оюутны солилцооны хөтөлбөр хэрэгжүүлж байна.",
    ),
    dict(
        id="tianjin-acupuncturist-2014",
        kind="joint-programme",
        title='Joint Training Programme "Acupuncturist" (4+2)',
        partners=["tianjin-university-of-tcm"],
        status="active",
        signed_on="2014",
        valid_until="2029-06-30",
        areas=["education", "health"],
        activities=["joint training of acupuncturists by the School of Traditional Medicine"],
        programmes=[dict(name="Acupuncturist", name_mn="Зүү засалч", scheme="4+2", starts=2014, degree="Acupuncturist diploma")],
        highlight='Since 2014 the School of Traditional Medicine trains specialists in the joint "Acupuncturist" (4+2) programme with Tianjin University of Traditional Chinese Medicine, China.',
        highlight_mn='2014 оноос Уламжлалт анагаах ухааны сургууль БНХАУ-ын Тяньжиний Уламжлалт Хятад Анагаах Ухааны Их Сургуультай хамтран "Зүү засалч" (4+2) хөтөлбөрөөр мэргэжилтэн бэлтгэж байна.',
    ),
    dict(
        id="tokyo-ariake-therapist-2016",
        kind="joint-programme",
        title='Joint Programme "Traditional Medical Therapist"',
        partners=["tokyo-ariake-university"],
        status="active",
        signed_on="2016",
        valid_until="2027-05-31",
        areas=["education", "health"],
        activities=["joint training of traditional medical therapists"],
        programmes=[dict(name="Traditional Medical Therapist", name_mn="Уламжлалт анагаахын эмчилгээч", starts=2016)],
        highlight='In 2016 the "Traditional Medical Therapist" programme began in cooperation with Tokyo Ariake University, Japan.',
        highlight_mn='2016 онд Японы Токиогийн Ариакэ их сургуультай хамтран "Уламжлалт анагаахын эмчилгээч" хөтөлбөр эхэлсэн.',
    ),
    dict(
        id="harvard-t2t-t2c-2019",
        kind="cooperation-agreement",
        title="Joint T2T and T2C Programme with Harvard Medical School",
        partners=["harvard-medical-school"],
        status="expired",
        signed_on="2019",
        valid_until="2021-12-31",
        areas=["education", "health"],
        activities=["T2T and T2C training courses for MNUMS faculty"],
        programmes=[dict(name="T2T and T2C", starts=2019, ends=2021)],
        highlight="From 2019 a joint T2T and T2C programme with Harvard Medical School, United States, was organized for two years.",
        highlight_mn="2019 оноос АНУ-ын Харвардын Анагаах Ухааны Сургуультай хамтарсан T2T, T2C хөтөлбөрийг хоёр жил амжилттай зохион байгуулсан.",
    ),
    dict(
        id="austria-equipment-project",
        kind="funded-project",
        title="Equipment Upgrade Project for MNUMS and its Affiliated Hospitals",
        partners=["austria-federal-government"],
        status="expired",
        signed_on="2017",
        valid_until="2022-12-31",
        areas=["health", "technology"],
        activities=["new medical and laboratory equipment for MNUMS and its affiliated hospitals"],
        funding=dict(amount=7500000, currency="EUR", source="Government of the Republic of Austria", terms="concessional loan"),
        highlight="A 7.5 million euro project to upgrade the equipment of MNUMS and its affiliated hospitals, under a concessional loan from the Government of the Republic of Austria.",
        highlight_mn="БН Австри Улсын Засгийн газрын хөнгөлөлттэй зээлийн хүрээнд АШУҮИС болон харьяа эмнэлгүүдийн тоног төхөөрөмжийг шинэчлэх 7.5 сая еврогийн төсөл хэрэгжсэн.",
    ),
    dict(
        id="human-medicine-2plus4-2021",
        kind="joint-programme",
        title="Joint Bachelor's Programme in Human Medicine (2+4)",
        partners=["korea-education-exchange-association", "university-of-georgia"],
        status="active",
        signed_on="2021",
        valid_until="2031-08-31",
        areas=["education", "health"],
        activities=["two years of study at MNUMS followed by four years at the University of Georgia"],
        programmes=[dict(name="Human Medicine", name_mn="Анагаах ухаан", scheme="2+4", degree="Bachelor of Human Medicine", starts=2021)],
        highlight="In the academic year 2021 the 2+4 joint bachelor's programme in human medicine began with the International Education Exchange Association of Korea and the University of Georgia, USA.",
        highlight_mn="2021 оны хичээлийн жилээс БНСУ-ын Олон улсын боловсролын солилцооны холбоо, АНУ-ын Жоржиагийн их сургуультай хамтран анагаах ухааны бакалаврын 2+4 хөтөлбөр эхэлсэн.",
    ),
]
for pid, name in [
    ("hankuk-university", "Hankuk University"),
    ("jeju-international-university", "Jeju International University"),
    ("new-tokyo-university", "New Tokyo University"),
]:
    REAL_AGREEMENTS.append(
        dict(
            id=f"{pid}-2022",
            kind="cooperation-agreement",
            title=f"Cooperation Agreement between MNUMS and {name}",
            partners=[pid],
            status="active",
            signed_on="2022",
            duration_years=5,
            areas=["science", "education", "health"],
            activities=ACTIVITIES[:3],
            highlight=f"In 2022 a cooperation agreement was signed with {name}.",
            highlight_mn=None,
        )
    )


def made_up_agreements(partners: list[dict]) -> list[dict]:
    agreements = []
    kinds = ["mou", "mou", "cooperation-agreement", "cooperation-agreement", "exchange"]
    for index, partner in enumerate(partners):
        kind = kinds[index % len(kinds)]
        year = 1996 + (index * 7) % 30
        month, day = 1 + (index * 5) % 12, 1 + (index * 11) % 28
        signed = dt.date(year, month, day)
        duration = 5
        expires = signed.replace(year=year + duration) - dt.timedelta(days=1)
        status = "active" if expires >= TODAY else "expired"
        if index % 23 == 7:
            status = "terminated"
        areas = sorted(
            RNG.sample(["science", "technology", "education", "health"], RNG.randint(2, 4)), key=["science", "technology", "education", "health"].index
        )
        word = {"mou": "Memorandum of Understanding", "cooperation-agreement": "Cooperation Agreement", "exchange": "Exchange Agreement"}[kind]
        agreements.append(
            dict(
                id=f"{partner['id']}-{year}",
                kind=kind,
                title=f"{word} between MNUMS and {partner['name']}",
                partners=[partner["id"]],
                status=status,
                signed_on=signed.isoformat(),
                duration_years=duration,
                areas=areas,
                activities=RNG.sample(ACTIVITIES, 3),
                signatories={"mnums": None, partner["id"]: partner.get("representative")},
            )
        )
    return agreements


# ----------------------------------------------------------------------------- honorees
HONOREE_COUNTS = {
    "JP": 57,
    "KR": 29,
    "US": 20,
    "RU": 18,
    "CN": 8,
    "TW": 8,
    "DE": 8,
    "TR": 6,
    "GB": 6,
    "AT": 5,
    "KZ": 5,
    "FR": 4,
    "HU": 4,
    "CZ": 3,
    "PL": 3,
    "IT": 3,
    "CA": 2,
    "AU": 2,
    "IN": 2,
    "CH": 2,
}
# (family latin, family native, given latin, given native)
NAMES = {
    "JP": (
        [
            ("Yamada", "山田"),
            ("Sato", "佐藤"),
            ("Suzuki", "鈴木"),
            ("Takahashi", "高橋"),
            ("Tanaka", "田中"),
            ("Ito", "伊藤"),
            ("Watanabe", "渡辺"),
            ("Nakamura", "中村"),
            ("Kobayashi", "小林"),
            ("Kato", "加藤"),
        ],
        [("Taro", "太郎"), ("Hanako", "花子"), ("Kenichi", "健一"), ("Misaki", "美咲"), ("Hiroshi", "浩"), ("Naoko", "直子")],
    ),
    "KR": (
        [("Kim", "김"), ("Lee", "이"), ("Park", "박"), ("Choi", "최"), ("Jung", "정"), ("Kang", "강")],
        [("Minjun", "민준"), ("Seoyeon", "서연"), ("Jiho", "지호"), ("Subin", "수빈"), ("Hyunwoo", "현우"), ("Jimin", "지민")],
    ),
    "CN": ([("Li", "李"), ("Wang", "王"), ("Zhang", "张"), ("Liu", "刘")], [("Ming", "明"), ("Hua", "华"), ("Wei", "伟"), ("Fang", "芳")]),
    "TW": ([("Chen", "陳"), ("Lin", "林"), ("Huang", "黃")], [("Chih-Ming", "志明"), ("Shu-Fen", "淑芬"), ("Chien-Hung", "建宏")]),
    "KZ": ([("Nurlanov", "Нұрланов"), ("Seitkali", "Сейітқали"), ("Abenov", "Әбенов")], [("Askar", "Асқар"), ("Erlan", "Ерлан")]),
    "IN": ([("Sharma", "शर्मा"), ("Kulkarni", "कुलकर्णी")], [("Priya", "प्रिया"), ("Anil", "अनिल")]),
}
RU_NAMES = [
    ("Ivanov", "Иванов", "Sergei", "Сергей"),
    ("Smirnova", "Смирнова", "Anna", "Анна"),
    ("Kuznetsov", "Кузнецов", "Dmitry", "Дмитрий"),
    ("Popova", "Попова", "Elena", "Елена"),
    ("Sokolov", "Соколов", "Andrei", "Андрей"),
    ("Lebedeva", "Лебедева", "Olga", "Ольга"),
]
LATIN_NAMES = {
    "US": (["Miller", "Johnson", "Brown", "Davis", "Wilson"], ["John", "Mary", "David", "Susan", "Robert"]),
    "TR": (["Yılmaz", "Kaya", "Demir", "Şahin"], ["Ayşe", "Mehmet", "Zeynep", "Mustafa"]),
    "DE": (["Müller", "Schneider", "Fischer", "Weber"], ["Klaus", "Petra", "Jürgen"]),
    "GB": (["Smith", "Taylor", "Evans"], ["James", "Sarah"]),
    "AT": (["Gruber", "Huber"], ["Franz", "Anna"]),
    "FR": (["Martin", "Bernard"], ["Claire", "Étienne"]),
    "HU": (["Nagy", "Kovács"], ["István", "Katalin"]),
    "CZ": (["Novák", "Dvořák"], ["Jiří", "Petra"]),
    "PL": (["Nowak", "Wiśniewska"], ["Tomasz", "Agnieszka"]),
    "IT": (["Rossi", "Bianchi"], ["Marco", "Giulia"]),
    "CA": (["Tremblay"], ["Luc", "Emma"]),
    "AU": (["Walker"], ["Jack", "Olivia"]),
    "CH": (["Meier"], ["Reto", "Ursula"]),
}

TO_CYRILLIC = [
    ("shch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "ё"),
    ("ye", "е"),
    ("ei", "эй"),
    ("a", "а"),
    ("b", "б"),
    ("c", "к"),
    ("d", "д"),
    ("e", "э"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "ж"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "кс"),
    ("y", "й"),
    ("z", "з"),
]


def to_cyrillic(text: str) -> str:
    """A rough Latin-to-Mongolian-Cyrillic spelling, good enough for sample names."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).replace("ı", "i").replace("-", "")
    out, i, low = [], 0, plain.lower()
    while i < len(low):
        for latin, cyr in TO_CYRILLIC:
            if low.startswith(latin, i):
                out.append(cyr.upper() if plain[i].isupper() else cyr)
                i += len(latin)
                break
        else:
            out.append(plain[i])
            i += 1
    return "".join(out)


CITATIONS = {
    "honorary-doctorate": (
        "In recognition of an outstanding contribution to medical science and to the cooperation between {aff} and MNUMS.",
        "Анагаах ухааны шинжлэх ухаан болон {aff}-АШУҮИС-ийн хамтын ажиллагаанд оруулсан онцгой хувь нэмрийг үнэлж.",
    ),
    "honorary-professor": (
        "In recognition of many years of teaching, research and friendship with the Mongolian National University of Medical Sciences.",
        "Анагаахын Шинжлэх Ухааны Үндэсний Их Сургуульд олон жил багшилж, судалгаа хийж, нөхөрлөлийг бэхжүүлсэн гавьяаг үнэлж.",
    ),
    "visiting-professor": (
        "For lectures and clinical training given to the students and physicians of MNUMS.",
        "АШУҮИС-ийн оюутан, эмч нарт лекц уншиж, эмнэлзүйн сургалт явуулсныг үнэлж.",
    ),
}


def honorees(partners: list[dict]) -> list[dict]:
    kinds = ["honorary-doctorate"] * 37 + ["honorary-professor"] * 98 + ["visiting-professor"] * 60
    RNG.shuffle(kinds)
    people = []
    for code, count in HONOREE_COUNTS.items():
        for i in range(count):
            if code in NAMES:
                families, givens = NAMES[code]
                fam, fam_n = families[i % len(families)]
                giv, giv_n = givens[(i // len(families) + i) % len(givens)]
                joiner = "" if code in ("CN", "TW", "KR") else " "
                native = f"{fam_n}{joiner}{giv_n}" if code != "IN" else f"{giv_n} {fam_n}"
            elif code == "RU":
                fam, fam_n, giv, giv_n = RU_NAMES[i % len(RU_NAMES)]
                native = f"{fam_n} {giv_n}"
            else:
                families, givens = LATIN_NAMES[code]
                fam, giv, native = families[i % len(families)], givens[(i // len(families) + i) % len(givens)], None
            people.append(dict(country=code, family_name=fam, given_name=giv, native_name=native))
    RNG.shuffle(people)
    # Award dates: the first title in 1978, a few a year, more since 2000; recent ones on ceremony days.
    years = sorted([1978] + [RNG.randint(1979, 1999) for _ in range(40)] + [RNG.randint(2000, 2026) for _ in range(154)])
    ceremony_days = {y: dt.date(y, RNG.choice([5, 6, 9, 10]), RNG.randint(1, 28)) for y in range(2010, 2027)}
    ceremony_days[2026] = dt.date(2026, 10, 15)
    by_country: dict[str, list[dict]] = {}
    for p in partners:
        by_country.setdefault(p["country"], []).append(p)
    rows, counters = [], {}
    for person, kind, year in zip(people, kinds, years, strict=True):
        if year >= 2010:
            awarded = ceremony_days[year]
            ceremony = f"ceremony-{awarded:%Y-%m}"
            awarded_text = awarded.isoformat()
        elif year >= 2000:
            awarded_text, ceremony = dt.date(year, RNG.randint(1, 12), RNG.randint(1, 28)).isoformat(), None
        else:
            awarded_text, ceremony = str(year), None
        code = {"honorary-doctorate": "hd", "honorary-professor": "hp", "visiting-professor": "vp"}[kind]
        counters[(code, year)] = counters.get((code, year), 0) + 1
        local = by_country.get(person["country"])
        if local:
            partner = RNG.choice(local)
            partner_id, affiliation = partner["id"], partner["name"]
        else:
            partner_id, affiliation = None, f"University of {person['family_name']}stadt (sample)"
        citation_en, citation_mn = CITATIONS[kind]
        rows.append(
            dict(
                id=f"{code}-{year}-{counters[(code, year)]:03d}",
                title=kind,
                family_name=person["family_name"],
                given_name=person["given_name"],
                native_name=person["native_name"] or "",
                name_mn=f"{to_cyrillic(person['given_name'])} {to_cyrillic(person['family_name'])}",
                country=person["country"],
                affiliation=affiliation,
                partner=partner_id or "",
                awarded_on=awarded_text,
                ceremony=ceremony or "",
                citation=citation_en.format(aff=affiliation),
                citation_mn=citation_mn.format(aff=affiliation),
            )
        )
    return rows


# ----------------------------------------------------------------------------- writing


def q(value) -> str:
    """A YAML scalar, quoted when plain YAML would misread it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if (
        re.fullmatch(r"[A-Za-z][\w .,()'/-]*", text)
        and not text.endswith(":")
        and ": " not in text
        and text.lower() not in ("yes", "no", "true", "false", "null", "on", "off")
    ):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_partners(partners: list[dict]) -> str:
    out = io.StringIO()
    out.write(
        "# Partner organizations of MNUMS.\n"
        "# SAMPLE DATA: the organizations named on the department's page are real; every entry marked\n"
        "# 'sample: true' is made up, and so is every person named here.\n"
        "# Fields: see docs/records.md.\n\npartners:\n"
    )
    for p in partners:
        out.write(f"  - id: {p['id']}\n    name: {q(p['name'])}\n")
        for key in ("native_name", "name_mn"):
            if p.get(key):
                out.write(f"    {key}: {q(p[key])}\n")
        out.write(f"    kind: {p['kind']}\n    country: {p['country']}\n    city: {q(p['city'])}\n")
        if p.get("website"):
            out.write(f"    website: {p['website']}\n")
        if p.get("representative"):
            r = p["representative"]
            out.write(f"    representative:\n      name: {q(r['name'])}\n      title: {q(r['title'])}\n")
        if p.get("sample"):
            out.write("    sample: true\n")
        out.write("\n")
    return out.getvalue()


def write_agreements(agreements: list[dict]) -> str:
    out = io.StringIO()
    out.write(
        "# Agreements of MNUMS with its partners.\n"
        "# SAMPLE DATA: the agreements named on the department's page are real (their exact dates are\n"
        "# not public: where only the year is known, only the year is given); all others are made up.\n"
        "# kind: mou | cooperation-agreement | joint-programme | exchange | funded-project\n"
        "# status: draft | active | expired | terminated\n\nagreements:\n"
    )
    for a in agreements:
        out.write(f"  - id: {a['id']}\n    kind: {a['kind']}\n    title: {q(a['title'])}\n")
        out.write("    partners: [" + ", ".join(a["partners"]) + "]\n")
        out.write(f"    status: {a['status']}\n")
        if a.get("signed_on"):
            out.write(f"    signed_on: {a['signed_on']}\n")
        if a.get("valid_until"):
            out.write(f"    valid_until: {a['valid_until']}\n")
        if a.get("duration_years"):
            out.write(f"    duration_years: {a['duration_years']}\n")
        out.write("    areas: [" + ", ".join(a["areas"]) + "]\n")
        if a.get("activities"):
            out.write("    activities:\n" + "".join(f"      - {q(x)}\n" for x in a["activities"]))
            out.write("    activities_mn:\n" + "".join(f"      - {q(ACTIVITIES_MN[x])}\n" for x in a["activities"]))
        for prog in a.get("programmes", []):
            out.write("    programmes:\n" if prog is a["programmes"][0] else "")
            out.write(f"      - name: {q(prog['name'])}\n")
            for key in ("name_mn", "scheme", "degree", "starts", "ends"):
                if prog.get(key) is not None:
                    out.write(f"        {key}: {q(prog[key]) if key != 'scheme' else chr(34) + prog[key] + chr(34)}\n")
        if a.get("funding"):
            f = a["funding"]
            out.write(
                f"    funding:\n      amount: {f['amount']}\n      currency: {f['currency']}\n      source: {q(f['source'])}\n      terms: {q(f['terms'])}\n"
            )
        signatories = {k: v for k, v in (a.get("signatories") or {}).items() if v}
        if signatories:
            out.write("    signatories:\n")
            for party, person in signatories.items():
                out.write(f"      {party}:\n        name: {q(person['name'])}\n        title: {q(person['title'])}\n")
        for key in ("highlight", "highlight_mn"):
            if a.get(key):
                out.write(f"    {key}: {q(a[key])}\n")
        out.write("\n")
    out.write(
        "  # A proposal being negotiated: drafts are not counted in the published figures.\n"
        "  - id: steppe-medical-university-exchange-draft\n    kind: exchange\n"
        "    title: Faculty and Student Exchange Agreement between MNUMS and Steppe Medical University\n"
        "    partners: [steppe-medical-university]\n    status: draft\n    duration_years: 5\n"
        "    areas: [education, health]\n    activities:\n"
        "      - exchange of up to five students a year in each direction\n"
        "      - visits of faculty members for up to three months\n"
        "    activities_mn:\n"
        "      - жил бүр тал тус бүрээс таван хүртэлх оюутан солилцох\n"
        "      - багш нарын гурван сар хүртэлх хугацааны айлчлал\n"
    )
    return out.getvalue()


def write_honorees(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write("# Honorary titles awarded by MNUMS. SAMPLE DATA: every person here is made up.\n")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(rows, key=lambda r: (r["awarded_on"], r["id"])))
    return out.getvalue()


def main() -> None:
    partners = REAL_PARTNERS + made_up_partners()
    agreements = REAL_AGREEMENTS + made_up_agreements([p for p in partners if p.get("sample") and p["id"] != "steppe-medical-university"])
    # Steppe Medical University only has a draft: it is a partner on paper, not yet in the figures.
    # Keep the totals: give Kazakhstan's other partner the signed agreement.
    (OUT / "partners.yaml").write_text(write_partners(partners), encoding="utf-8")
    (OUT / "agreements.yaml").write_text(write_agreements(agreements), encoding="utf-8")
    (OUT / "honorees.csv").write_text(write_honorees(honorees(partners)), encoding="utf-8")


if __name__ == "__main__":
    main()
