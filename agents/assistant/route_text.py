"""The router's reading of a raw text: one spelling for the many ways the owner types it.

NFKC (full-width letters and digits), straight quotes, the common traditional characters of the
router's words as simplified ones ("什麼" reads as "什么"), lower case, single spaces, and chat
spellings written out ("cxl" -> "cancel", "y did u" -> "why did u"), so the vocabularies in
``route_words``, ``route_changes`` and ``route_social`` need one spelling of each word.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize"]

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "「": '"', "」": '"'})

# Common traditional characters of the router's words -> simplified ("什麼" reads as "什么").
_TRADITIONAL = "".join(
    (
        "麼週幫記報會議預約時間嗎點個還這過為鐘開課們給發謝沒無誰幾樣號聽說話請讓對見後從",
        "來車買錢電郵寫讀論歡興務辦單網頁設關閉啟動換刪標項準備醫藥體檢簽證機場飛訂學習師",
        "長趕緊裡邊較閒確認處內禮兩節樂厲隨兒別煩飯覺頭現導訊資數據總結譯釋薦選擇讚類題統",
        "規則戶員權詞帳問聯繫賬麵衝燈歲親媽爺氣紙遲參與覽線視區傳遞達實驗銷費計畫劃續簡歷",
        "試鬆專業術範圖書館聞變盡",
        "經東當應該將進錯難樓賣貨壞義舊幹夠層筆張陳劉吳趙黃楊際離門連運於種萬華國帶臺檯灣條隻雙雖歸懷識",
        "剛評審貝負責貴質購賽贏輸軟輕載輛轉農遠適鄰鄉醬針錄鏈鍵鎖閱隊陽陰階雞雲靜韓順須領",
        "頻顏額風飲飽馬駕髮鬧魚鳥麥黨齊齒龍價優債僅億儲冊減湊劇勞勝匯協卻厭叢喚嘗團園圍圓",
        "塊壓夢夥奪奮孫寧寵屬島幣廣廳廢彈強徑復徵態慣憂戰戲掃揮損搶擁擔擬擴攝敵斷晝暫曆曉",
        "極構樹橋檔殘殺決況淚淨淺溫測滿漢潔濕災煙熱燒爭爾牆獨獲環產畢異療監盤眾睏礙稱積穩",
        "窮競築籃糧紅級紀純細終組絡絲綠維緒編練績縣織罰羅聖聲職腦臉艱藝藍虛蟲衛補裝複製觀",
        "討訓許診註詢詩詳誤調談諮護貼跡踐躍輔輯辭違遺鐵鎮陸險雜響頂願顧養驚麗齡乾",
    )
)
_SIMPLIFIED = "".join(
    (
        "么周帮记报会议预约时间吗点个还这过为钟开课们给发谢没无谁几样号听说话请让对见后从",
        "来车买钱电邮写读论欢兴务办单网页设关闭启动换删标项准备医药体检签证机场飞订学习师",
        "长赶紧里边较闲确认处内礼两节乐厉随儿别烦饭觉头现导讯资数据总结译释荐选择赞类题统",
        "规则户员权词账问联系账面冲灯岁亲妈爷气纸迟参与览线视区传递达实验销费计划划续简历",
        "试松专业术范图书馆闻变尽",
        "经东当应该将进错难楼卖货坏义旧干够层笔张陈刘吴赵黄杨际离门连运于种万华国带台台湾条只双虽归怀识",
        "刚评审贝负责贵质购赛赢输软轻载辆转农远适邻乡酱针录链键锁阅队阳阴阶鸡云静韩顺须领",
        "频颜额风饮饱马驾发闹鱼鸟麦党齐齿龙价优债仅亿储册减凑剧劳胜汇协却厌丛唤尝团园围圆",
        "块压梦伙夺奋孙宁宠属岛币广厅废弹强径复征态惯忧战戏扫挥损抢拥担拟扩摄敌断昼暂历晓",
        "极构树桥档残杀决况泪净浅温测满汉洁湿灾烟热烧争尔墙独获环产毕异疗监盘众困碍称积稳",
        "穷竞筑篮粮红级纪纯细终组络丝绿维绪编练绩县织罚罗圣声职脑脸艰艺蓝虚虫卫补装复制观",
        "讨训许诊注询诗详误调谈咨护贴迹践跃辅辑辞违遗铁镇陆险杂响顶愿顾养惊丽龄干",
    )
)
_HANZI = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
_SLANG = {
    "gimme": "give me", "lemme": "let me", "wanna": "want to", "whatcha": "what are you",
    "cn": "can", "chek": "check", "chk": "check", "im": "i'm", "abt": "about", "b4": "before",
    "tmw": "tomorrow", "2morrow": "tomorrow", "2day": "today", "2nite": "tonight",
    "tonite": "tonight", "req": "request", "reqs": "requests", "mtg": "meeting",
    "mtgs": "meetings", "wk": "week", "wks": "weeks", "wkend": "weekend", "cxl": "cancel",
    "canx": "cancel", "resched": "reschedule", "appt": "appointment", "appts": "appointments",
    "rn": "right now", "rly": "really", "hbu": "how about you", "wbu": "what about you",
}  # fmt: skip  # chat spellings
_Y_WHY = re.compile(r"(?:^|(?<=[,.!?;:] ))y(?= (?:did|do|does|is|are|was|were|would|not|u|r)\b)")


def normalize(text: str) -> str:
    """NFKC, straight quotes, simplified characters, lower case, single spaces, a few
    contractions spelled out."""
    words = unicodedata.normalize("NFKC", text).translate(_QUOTES).translate(_HANZI).lower().split()
    return _Y_WHY.sub("why", " ".join(_SLANG.get(word, word) for word in words))  # "y did u"
