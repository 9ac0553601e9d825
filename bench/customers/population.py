"""The population: 52 customers of the tea shop, half typing English, half Traditional Chinese.

Each is a few lines of data (persona.py): what they want, how they type it and what they
say on the way. Their texts are written the way people write in chat: lower case, typos,
Chinese and English in one message, "半斤" for 300 g, "711" for 7-ELEVEN.
"""

from __future__ import annotations

from dataclasses import replace

from bench.customers.persona import Delivery, Goal, Habit, Interjection, Item, Kind, Persona

TW_PHONE = "0912345678"


def goal(
    items: tuple[Item, ...],
    delivery: Delivery,
    payment: str,
    payment_words: str,
    recipient: str,
    phone: str = TW_PHONE,
) -> Goal:
    return Goal(items, delivery, payment, payment_words, recipient, phone)


def seven(place: str, words: str = "7-11") -> Delivery:
    return Delivery("store-711", words, place)


def family(place: str, words: str = "family mart") -> Delivery:
    return Delivery("store-family", words, place)


def home(address: str, words: str = "home delivery") -> Delivery:
    return Delivery("home", words, address)


# --------------------------------------------------------------------------- English


def english_direct() -> list[Persona]:
    dd300 = Item("DD-OOLONG-300", 2, "dong ding oolong", "300g", "2")
    return [
        Persona(
            "en-direct-amy",
            "en",
            Kind.DIRECT,
            goal((dd300,), seven("Songren store"), "cod", "cash on delivery", "Amy Chen"),
            openers=("2 dong ding 300g, 7-11 pickup, cash on delivery",),
            habit=Habit.WORDS,
        ),
        Persona(
            "en-direct-ben",
            "en",
            Kind.DIRECT,
            goal(
                (Item("ALISHAN-150", 1, "alishan oolong", "150g", "1"),),
                home("No. 12, Lane 5, Sec. 2, Zhongshan N. Rd, Taipei"),
                "sandbox",
                "card",
                "Ben Lin",
                "0922 333 444",
            ),
            openers=("hi, i want the alishan oolong 150g x1 delivered home, card payment",),
            habit=Habit.TITLE,
        ),
        Persona(
            "en-direct-chloe",
            "en",
            Kind.DIRECT,
            goal(
                (Item("RUBY-75", 3, "ruby black tea", "75g", "3 packs"),),
                family("Daan store"),
                "cod",
                "pay cash",
                "Chloe Wu",
            ),
            openers=("need 3 packs of ruby black tea #18 75g pls. family mart pickup, pay cash",),
            habit=Habit.WORDS,
        ),
        Persona(
            "en-direct-david",
            "en",
            Kind.DIRECT,
            goal(
                (Item("BEAUTY-150", 1, "oriental beauty", "150g", "one"),),
                home("3F, No. 7, Yongkang St, Da'an, Taipei"),
                "bank_transfer",
                "bank transfer",
                "David Huang",
                "0988 123 456",
            ),
            openers=("do you have oriental beauty?", "150g, one pack, home delivery, bank transfer"),
            habit=Habit.TITLE,
        ),
        Persona(
            "en-direct-emma",
            "en",
            Kind.DIRECT,
            goal(
                (Item("DD-OOLONG-150", 2, "dongding olong", "150 g", "2"),),
                seven("Xinyi store", "seven eleven"),
                "cod",
                "cod",
                "Emma Tsai",
            ),
            openers=("dongding olong 150 g x 2, seven eleven pickup",),
            habit=Habit.WORDS,
        ),
        Persona(
            "en-direct-frank",
            "en",
            Kind.DIRECT,
            goal(
                (Item("RUBY-150", 1, "ruby 18", "150g", "1"),),
                seven("NTU store"),
                "cod",
                "cash on delivery",
                "Frank Liu",
            ),
            openers=("紅玉 ruby 18 150g one pack, 7-11, cash on delivery",),
            habit=Habit.TAP,
        ),
        Persona(
            "en-direct-grace",
            "en",
            Kind.DIRECT,
            goal(
                (Item("GAIWAN-BLU", 1, "gaiwan", "blue", "1"),),
                home("5F, No. 88, Sec. 4, Xinyi Rd, Da'an, Taipei", "ship to my home"),
                "sandbox",
                "card",
                "Grace Kuo",
            ),
            openers=("gaiwan in blue, 1 please, ship to my home, pay by card",),
            habit=Habit.TITLE,
        ),
        Persona(
            "en-direct-henry",
            "en",
            Kind.DIRECT,
            goal(
                (Item("TGY-300", 2, "tieguanyin", "300g", "2"),),
                home("No. 3, Alley 9, Lane 100, Minsheng E. Rd, Taipei"),
                "cod",
                "cash on delivery",
                "Henry Chou",
                "+886 912 345 678",
            ),
            openers=("tieguanyin 300g x2", "home delivery pls, cash on delivery"),
            habit=Habit.WORDS,
        ),
    ]


def english_browsers() -> list[Persona]:
    def browser(name: str, sku: str, quantity: int, delivery: Delivery, payment: str, who: str) -> Persona:
        return Persona(
            f"en-browser-{name}",
            "en",
            Kind.BROWSER,
            goal((Item(sku, quantity, ""),), delivery, payment, payment, who),
            openers=("hi",),
            browses=True,
        )

    return [
        browser("ivy", "DD-OOLONG-75", 1, seven("Songshan store"), "cod", "Ivy Lee"),
        browser("jack", "HONEY-150", 2, home("No. 21, Sec. 1, Roosevelt Rd, Taipei"), "sandbox", "Jack Yang"),
        browser("kate", "GAIWAN-WHT", 1, family("Zhongxiao store"), "bank_transfer", "Kate Hsu"),
        browser("leo", "CUPS-4", 1, home("No. 5, Lane 2, Heping E. Rd, Taipei"), "cod", "Leo Kao"),
    ]


def english_changers() -> list[Persona]:
    dd150 = Item("DD-OOLONG-150", 1, "dong ding oolong", "150g")
    honey = Item("HONEY-75", 1, "honey black tea", "75g")
    gaiwan = Item("GAIWAN-WHT", 1, "gaiwan", "white")
    ruby = Item("RUBY-75", 2, "ruby black tea", "75g")
    first = goal((dd150,), seven("Songren store"), "cod", "cash on delivery", "Mia Chang")
    second = goal((honey,), seven("Taipei 101 store"), "cod", "cash on delivery", "Noah Chen")
    third = goal(
        (replace(dd150, sku="DD-OOLONG-75"), gaiwan), seven("Neihu store"), "cod", "cod", "Olivia Lai"
    )
    fourth = goal((ruby,), family("Nangang store"), "cod", "cash on delivery", "Peter Wang")
    address = "No. 8, Lane 20, Sec. 4, Xinyi Rd, Taipei"
    return [
        Persona(
            "en-changer-mia",
            "en",
            Kind.CHANGER,
            first,
            interjections=(
                Interjection(
                    "make that 2 packs",
                    "summary",
                    new_goal=replace(first, items=(replace(dd150, quantity=2),)),
                ),
            ),
        ),
        Persona(
            "en-changer-noah",
            "en",
            Kind.CHANGER,
            second,
            interjections=(
                Interjection(
                    f"actually can you deliver it to my home instead? {address}",
                    "summary",
                    new_goal=replace(second, delivery=home(address)),
                ),
            ),
            habit=Habit.TITLE,
        ),
        Persona(
            "en-changer-olivia",
            "en",
            Kind.CHANGER,
            third,
            interjections=(
                Interjection(
                    "drop the oolong, just the gaiwan please",
                    "summary",
                    new_goal=replace(third, items=(gaiwan,)),
                ),
            ),
        ),
        Persona(
            "en-changer-peter",
            "en",
            Kind.CHANGER,
            fourth,
            interjections=(
                Interjection(
                    "can I pay by card instead?",
                    "summary",
                    new_goal=replace(fourth, payment="sandbox", payment_words="card"),
                ),
            ),
            habit=Habit.WORDS,
        ),
    ]


def english_askers() -> list[Persona]:
    def asker(name: str, item: Item, question: str, when: str, habit: Habit) -> Persona:
        who = f"{name.title()} Lin"
        return Persona(
            f"en-asker-{name}",
            "en",
            Kind.ASKER,
            goal((item,), seven("Xinyi store"), "cod", "cash on delivery", who),
            interjections=(Interjection(question, when),),
            habit=habit,
        )

    return [
        asker(
            "quinn",
            Item("DD-OOLONG-150", 1, "dong ding oolong", "150g"),
            "how long does delivery take?",
            "checkout",
            Habit.TAP,
        ),
        asker(
            "rose",
            Item("BEAUTY-75", 1, "oriental beauty", "75g"),
            "can I return it if I don't like it?",
            "choosing",
            Habit.WORDS,
        ),
        asker(
            "sam",
            Item("TGY-150", 1, "tieguanyin", "150g"),
            "can I pick up at a convenience store?",
            "checkout",
            Habit.TITLE,
        ),
        asker(
            "tina",
            Item("HONEY-75", 2, "honey black tea", "75g"),
            "how long does delivery take to taichung?",
            "checkout.phone",
            Habit.TAP,
        ),
    ]


def english_complainers() -> list[Persona]:
    ruby = goal(
        (Item("RUBY-75", 1, "ruby black tea", "75g"),), seven("Xinyi store"), "cod", "cod", "Wendy Ho"
    )
    return [
        Persona(
            "en-complainer-uma",
            "en",
            Kind.COMPLAINER,
            None,
            interjections=(Interjection("my order arrived broken and I'm furious", "start", complaint=True),),
        ),
        Persona(
            "en-complainer-victor",
            "en",
            Kind.COMPLAINER,
            None,
            interjections=(
                Interjection(
                    "the tea I got last week tastes stale. this is unacceptable, I want my money back",
                    "start",
                    complaint=True,
                ),
            ),
        ),
        Persona(
            "en-complainer-wendy",
            "en",
            Kind.COMPLAINER,
            ruby,
            interjections=(
                Interjection(
                    "this is ridiculous, my last parcel was two weeks late!!",
                    "checkout.phone",
                    complaint=True,
                ),
            ),
        ),
    ]


def english_returning() -> list[Persona]:
    return [
        Persona(
            "en-returning-xavier",
            "en",
            Kind.RETURNING,
            goal(
                (Item("DD-OOLONG-300", 1, "dong ding oolong", "300g"),),
                seven("Songren store"),
                "cod",
                "cod",
                "Xavier Pan",
            ),
            interjections=(Interjection("hi", "cart_ready", pause_days=1),),
        ),
        Persona(
            "en-returning-yuki",
            "en",
            Kind.RETURNING,
            goal(
                (Item("GAIWAN-BLU", 1, "gaiwan", "blue"),),
                family("Daan store"),
                "sandbox",
                "card",
                "Yuki Sato",
            ),
            openers=("hi",),
            interjections=(Interjection("hi", "checkout.recipient", pause_days=1),),
            browses=True,
        ),
        Persona(
            "en-returning-zoe",
            "en",
            Kind.RETURNING,
            goal(
                (Item("ALISHAN-75", 2, "alishan oolong", "75g", "2"),),
                home("No. 99, Sec. 3, Nanjing E. Rd, Taipei"),
                "cod",
                "cash on delivery",
                "Zoe Chiu",
            ),
            interjections=(Interjection("hi there", "cart_ready", pause_days=1),),
            habit=Habit.WORDS,
        ),
    ]


# --------------------------------------------------------------------------- 繁體中文


def chinese_direct() -> list[Persona]:
    return [
        Persona(
            "zh-direct-meiling",
            "zh-TW",
            Kind.DIRECT,
            goal(
                (Item("DD-OOLONG-300", 2, "凍頂烏龍", "300克", "兩包"),),
                seven("松仁門市"),
                "cod",
                "貨到付款",
                "陳美玲",
            ),
            openers=("凍頂烏龍 300克 兩包 寄7-11 貨到付款",),
            habit=Habit.WORDS,
        ),
        Persona(
            "zh-direct-zhiming",
            "zh-TW",
            Kind.DIRECT,
            goal(
                (Item("ALISHAN-150", 1, "阿里山高山茶", "150g", "一包"),),
                home("台北市大安區復興南路一段100號", "宅配"),
                "sandbox",
                "刷卡",
                "林志明",
                "0922-333-444",
            ),
            openers=("阿里山高山茶150g一包，宅配，刷卡",),
            habit=Habit.TITLE,
        ),
        Persona(
            "zh-direct-shufen",
            "zh-TW",
            Kind.DIRECT,
            goal(
                (Item("RUBY-75", 3, "紅玉紅茶", "75g", "三包"),),
                family("全家大安店", "全家"),
                "cod",
                "貨到付款",
                "王淑芬",
            ),
            openers=("請問有紅玉紅茶嗎", "75g 三包 全家取貨 貨到付款"),
            habit=Habit.WORDS,
        ),
        Persona(
            "zh-direct-jiahao",
            "zh-TW",
            Kind.DIRECT,
            goal(
                (Item("BEAUTY-75", 2, "東方美人", "75g", "2"),),
                home("新北市板橋區文化路一段50號5樓", "寄到家"),
                "bank_transfer",
                "轉帳",
                "張家豪",
            ),
            openers=("我要 oriental beauty 75g x2 寄到家 轉帳",),
            habit=Habit.TITLE,
        ),
        Persona(
            "zh-direct-yating",
            "zh-TW",
            Kind.DIRECT,
            goal(
                (Item("DD-OOLONG-150", 2, "凍頂烏龍", "150g", "2包"),),
                seven("信義門市", "711"),
                "cod",
                "貨到付款",
                "李雅婷",
            ),
            openers=("凍頂烏弄 150g 2包 711取貨",),
            habit=Habit.WORDS,
        ),
        Persona(
            "zh-direct-junjie",
            "zh-TW",
            Kind.DIRECT,
            goal(
                (Item("GAIWAN-BLU", 1, "蓋碗", "藍色", "一個"),),
                seven("市府門市", "超商取貨"),
                "cod",
                "貨到付款",
                "黃俊傑",
            ),
            openers=("藍色蓋碗一個 超商取貨 貨到付款",),
            habit=Habit.TAP,
        ),
        Persona(
            "zh-direct-yijun",
            "zh-TW",
            Kind.DIRECT,
            goal(
                (Item("TGY-300", 1, "鐵觀音", "半斤", "一包"),),
                home("台中市西區公益路二段51號", "宅配"),
                "bank_transfer",
                "匯款",
                "吳怡君",
            ),
            openers=("鐵觀音半斤一包 宅配 匯款",),
            habit=Habit.WORDS,
        ),
        Persona(
            "zh-direct-jianhong",
            "zh-TW",
            Kind.DIRECT,
            goal(
                (Item("HONEY-150", 2, "蜜香紅茶", "150g", "兩包"),),
                family("全家永春店", "全家"),
                "sandbox",
                "信用卡",
                "劉建宏",
            ),
            openers=("蜜香紅茶 150g", "兩包，寄全家，刷卡"),
            habit=Habit.TITLE,
        ),
    ]


def chinese_browsers() -> list[Persona]:
    def browser(name: str, sku: str, delivery: Delivery, payment: str, who: str) -> Persona:
        return Persona(
            f"zh-browser-{name}",
            "zh-TW",
            Kind.BROWSER,
            goal((Item(sku, 1, ""),), delivery, payment, payment, who),
            openers=("你好",),
            browses=True,
        )

    return [
        browser("peijun", "DD-OOLONG-150", seven("松仁門市"), "cod", "蔡佩君"),
        browser("zonghan", "RUBY-150", home("高雄市前金區中正四路211號"), "sandbox", "鄭宗翰"),
        browser("xinyi", "GAIWAN-GRN", family("全家南港店"), "bank_transfer", "謝欣怡"),
        browser("guanyu", "TRAY-BAMBOO", home("台南市東區大學路1號"), "cod", "許冠宇"),
    ]


def chinese_changers() -> list[Persona]:
    dd75 = Item("DD-OOLONG-75", 1, "凍頂烏龍", "75g")
    honey = Item("HONEY-75", 1, "蜜香紅茶", "75g")
    dd150 = Item("DD-OOLONG-150", 1, "凍頂烏龍", "150g")
    ruby = Item("RUBY-75", 1, "紅玉紅茶", "75g")
    tgy = Item("TGY-150", 1, "鐵觀音", "150g")
    first = goal((dd75,), seven("松仁門市"), "cod", "貨到付款", "周詩涵")
    second = goal((honey,), seven("市府門市"), "cod", "貨到付款", "何承恩")
    third = goal((dd150, ruby), seven("信義門市"), "cod", "貨到付款", "楊品妍")
    fourth = goal((tgy,), family("全家大安店"), "cod", "貨到付款", "羅柏翰")
    address = "台北市信義區松仁路100號"
    return [
        Persona(
            "zh-changer-shihan",
            "zh-TW",
            Kind.CHANGER,
            first,
            interjections=(
                Interjection(
                    "數量改成3包", "summary", new_goal=replace(first, items=(replace(dd75, quantity=3),))
                ),
            ),
        ),
        Persona(
            "zh-changer-chengen",
            "zh-TW",
            Kind.CHANGER,
            second,
            interjections=(
                Interjection(
                    f"改成宅配，地址是{address}",
                    "summary",
                    new_goal=replace(second, delivery=home(address, "宅配")),
                ),
            ),
            habit=Habit.TITLE,
        ),
        Persona(
            "zh-changer-pinyan",
            "zh-TW",
            Kind.CHANGER,
            third,
            interjections=(
                Interjection("烏龍那包不要了", "summary", new_goal=replace(third, items=(ruby,))),
            ),
        ),
        Persona(
            "zh-changer-bohan",
            "zh-TW",
            Kind.CHANGER,
            fourth,
            interjections=(
                Interjection(
                    "付款改成轉帳",
                    "summary",
                    new_goal=replace(fourth, payment="bank_transfer", payment_words="轉帳"),
                ),
            ),
            habit=Habit.WORDS,
        ),
    ]


def chinese_askers() -> list[Persona]:
    def asker(name: str, item: Item, question: str, when: str, habit: Habit, who: str) -> Persona:
        return Persona(
            f"zh-asker-{name}",
            "zh-TW",
            Kind.ASKER,
            goal((item,), seven("信義門市"), "cod", "貨到付款", who),
            interjections=(Interjection(question, when),),
            habit=habit,
        )

    return [
        asker(
            "yawen",
            Item("DD-OOLONG-150", 1, "凍頂烏龍", "150g"),
            "可以超商取貨嗎？",
            "checkout",
            Habit.TAP,
            "林雅雯",
        ),
        asker(
            "yucheng",
            Item("BEAUTY-75", 1, "東方美人", "75g"),
            "運送要多久？",
            "checkout.phone",
            Habit.WORDS,
            "陳育誠",
        ),
        asker(
            "siyu", Item("HONEY-150", 1, "蜜香紅茶", "150g"), "可以退貨嗎", "choosing", Habit.TITLE, "江思妤"
        ),
        asker("mengzhe", Item("CUPS-4", 1, "品茗杯"), "請問幾天會到", "checkout", Habit.TAP, "徐孟哲"),
    ]


def chinese_complainers() -> list[Persona]:
    tgy = goal((Item("TGY-150", 1, "鐵觀音", "150g"),), seven("信義門市"), "cod", "貨到付款", "蘇美惠")
    return [
        Persona(
            "zh-complainer-huijun",
            "zh-TW",
            Kind.COMPLAINER,
            None,
            interjections=(Interjection("你們的茶葉裡有蟲，我要退貨！", "start", complaint=True),),
        ),
        Persona(
            "zh-complainer-zhenyu",
            "zh-TW",
            Kind.COMPLAINER,
            None,
            interjections=(Interjection("上次買的蓋碗寄來就破了，很生氣", "start", complaint=True),),
        ),
        Persona(
            "zh-complainer-meihui",
            "zh-TW",
            Kind.COMPLAINER,
            tgy,
            interjections=(Interjection("你們上次寄錯東西，到現在都沒處理！", "choosing", complaint=True),),
        ),
    ]


def chinese_returning() -> list[Persona]:
    return [
        Persona(
            "zh-returning-jiayu",
            "zh-TW",
            Kind.RETURNING,
            goal(
                (Item("DD-OOLONG-300", 1, "凍頂烏龍", "300g", "1"),),
                seven("松仁門市"),
                "cod",
                "貨到付款",
                "高家瑜",
            ),
            interjections=(Interjection("你好", "cart_ready", pause_days=1),),
            habit=Habit.WORDS,
        ),
        Persona(
            "zh-returning-zixuan",
            "zh-TW",
            Kind.RETURNING,
            goal((Item("GAIWAN-WHT", 1, "蓋碗", "白色"),), family("全家南港店"), "sandbox", "刷卡", "杜子軒"),
            openers=("你好",),
            interjections=(Interjection("你好", "checkout.recipient", pause_days=1),),
            browses=True,
        ),
        Persona(
            "zh-returning-xiaohan",
            "zh-TW",
            Kind.RETURNING,
            goal(
                (Item("RUBY-75", 2, "紅玉紅茶", "75g", "2"),), seven("信義門市"), "cod", "貨到付款", "簡筱涵"
            ),
            interjections=(Interjection("哈囉", "cart_ready", pause_days=1),),
            habit=Habit.TITLE,
        ),
    ]


def population(lang: str = "all") -> list[Persona]:
    """Every customer, or those typing one language ("en", "zh-TW")."""
    everyone = [
        *english_direct(),
        *english_browsers(),
        *english_changers(),
        *english_askers(),
        *english_complainers(),
        *english_returning(),
        *chinese_direct(),
        *chinese_browsers(),
        *chinese_changers(),
        *chinese_askers(),
        *chinese_complainers(),
        *chinese_returning(),
    ]
    return [p for p in everyone if lang == "all" or p.lang == lang]
