"""A small news site for the fault scenarios: article pages with real JSON-LD and Open Graph
markup and 150+ word bodies, a home page, an RSS feed, a sitemap and a robots.txt.

Everything here returns text (or bytes); :mod:`tests.faults.scenarios` decides how the fault
server serves it. Each :class:`Story` has a headline and body sentences in its own language, so
a scenario can check the stored text in the native script.
"""

from __future__ import annotations

import gzip
import html
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

SITE_NAME = "Fault Gazette"
PUBLISHED = "2024-05-03T08:00:00+00:00"


@dataclass(frozen=True, slots=True)
class Story:
    """One article: where it lives, its headline and body, and the text a crawl must store."""

    key: str  # unique across all scenarios
    path: str
    headline: str
    paragraphs: tuple[str, ...]
    language: str = "en"
    author: str = "Jane Roe"
    section: str = "City"

    @property
    def summary(self) -> str:
        """The first sentence of the body (also the meta description)."""
        return self.paragraphs[0]

    @property
    def snippets(self) -> tuple[str, ...]:
        """Body text a correct crawl stores: the second and the last paragraph (the first one
        is the lead, which extraction may keep as the summary instead)."""
        return (self.paragraphs[1], self.paragraphs[-1])


# --- English stories --------------------------------------------------------------------------

_ENGLISH_SENTENCES = (
    "Council members spent most of the evening session on the details of the proposal.",
    "Several residents spoke during the public comment period, most of them in favour.",
    "The finance committee had reviewed the figures twice before sending them to the floor.",
    "Engineers from the regional authority presented a revised timeline with three phases.",
    "Opposition members asked for an independent audit before any contract is signed.",
    "The mayor said the decision reflected months of consultation with neighbourhood groups.",
    "Local business owners expect the work to disrupt deliveries for several weeks.",
    "A spokesperson for the transport department declined to comment on the final cost.",
    "The plan includes a review clause that allows the council to revisit it next spring.",
    "Critics argue that the consultation period was too short for such a large project.",
    "Supporters point to the growing population of the eastern districts as the main reason.",
    "The vote followed a lengthy debate about priorities for the coming budget year.",
    "Officials promised to publish monthly progress reports on the city website.",
    "Teachers and parents attended in large numbers and filled the public gallery.",
    "The regional newspaper first reported on the draft proposal in early February.",
    "Funding will come partly from a national infrastructure grant awarded last year.",
    "Environmental groups welcomed the inclusion of new cycle lanes along the main road.",
    "The contractor will be chosen through an open tender that closes at the end of June.",
)


def english_story(key: str, path: str, headline: str, topic: str, *, seed: int = 0) -> Story:
    """An English story of about 180 words whose first and last paragraphs name ``topic``."""
    picks = [_ENGLISH_SENTENCES[(seed * 5 + i) % len(_ENGLISH_SENTENCES)] for i in range(12)]
    return Story(
        key=key,
        path=path,
        headline=headline,
        paragraphs=(
            f"The city council on Thursday approved {topic} after a debate of nearly four hours.",
            " ".join(picks[0:4]),
            " ".join(picks[4:8]),
            " ".join(picks[8:12]),
            f"A final report on {topic} is expected before the end of the year, officials said.",
        ),
    )


# --- stories in other languages and scripts ---------------------------------------------------

FRENCH_STORY = Story(
    key="charset-latin1",
    path="/2024/05/03/theatre-renovation/",
    headline="Le conseil municipal approuve la rénovation du théâtre",
    language="fr",
    author="Hélène Dubois",
    section="Culture",
    paragraphs=(
        (
            "Après trois heures de débat, le conseil municipal a approuvé jeudi soir la rénovation "
            "complète du théâtre de la ville, fermé depuis l'été dernier."
        ),
        (
            "Les travaux commenceront à l'automne et devraient durer environ dix-huit mois. La "
            "façade sera restaurée à l'identique, tandis que la salle principale recevra de "
            "nouveaux sièges, un système de chauffage moins coûteux et un accès pour les personnes "
            "à mobilité réduite."
        ),
        (
            "Le maire a déclaré que le théâtre était « le centre culturel du quartier » et que sa "
            "fermeture avait pesé sur les commerces voisins. Plusieurs élus de l'opposition ont "
            "toutefois critiqué le coût du projet, qu'ils jugent trop élevé pour une ville de "
            "cette taille."
        ),
        (
            "Les associations culturelles, présentes en nombre dans la salle, ont salué la décision. "
            "Elles espèrent que la programmation pourra reprendre dès la saison suivante, avec des "
            "spectacles pour les écoles et des concerts gratuits le dimanche."
        ),
        (
            "Le budget définitif sera présenté au conseil au début de l'année prochaine, après "
            "l'appel d'offres."
        ),
    ),
)

GERMAN_STORY = Story(
    key="charset-undeclared-latin1",
    path="/2024/05/03/bruecke-frueher-fertig/",
    headline="Überraschung im Stadtrat: Die neue Brücke wird früher fertig",
    language="de",
    author="Jürgen Weiß",
    paragraphs=(
        (
            "Die neue Fußgängerbrücke über den Fluss soll bereits im Frühjahr eröffnet werden, "
            "drei Monate früher als geplant."
        ),
        (
            "Das teilte der Baudezernent am Donnerstag im Ausschuss für Stadtentwicklung mit. Grund "
            "für die schnellere Fertigstellung seien günstige Wetterbedingungen im Winter und eine "
            "gute Zusammenarbeit der beteiligten Firmen."
        ),
        (
            "Die Brücke verbindet künftig die Altstadt mit dem neuen Wohngebiet am östlichen Ufer. "
            "Anwohner hatten sich jahrelang über lange Umwege beschwert, besonders Schüler und "
            "ältere Menschen müssen bisher einen großen Bogen über die Hauptstraße gehen."
        ),
        (
            "Die Kosten bleiben nach Angaben der Verwaltung im vorgesehenen Rahmen. Einige "
            "Ratsmitglieder forderten dennoch einen ausführlichen Bericht über mögliche "
            "Nachträge, bevor die Schlussrechnung bezahlt wird."
        ),
        (
            "Zur Eröffnung ist ein Straßenfest geplant, zu dem alle Bürgerinnen und Bürger "
            "eingeladen sind."
        ),
    ),
)

RUSSIAN_STORY = Story(
    key="charset-cp1251",
    path="/2024/05/03/remont-shkol/",
    headline="Городской совет утвердил программу ремонта школ",
    language="ru",
    author="Анна Смирнова",
    section="Город",
    paragraphs=(
        (
            "Городской совет в четверг утвердил программу капитального ремонта двенадцати школ, "
            "которая рассчитана на три года."
        ),
        (
            "Первые работы начнутся летом, когда ученики уйдут на каникулы. В зданиях заменят окна, "
            "отремонтируют крыши и спортивные залы, а также обновят систему отопления, которая во "
            "многих школах не менялась с советских времён."
        ),
        (
            "Депутаты обсуждали проект почти четыре часа. Часть из них предлагала сначала провести "
            "независимую экспертизу, однако большинство решило не откладывать ремонт ещё на год. "
            "Родители, пришедшие на заседание, встретили решение аплодисментами."
        ),
        (
            "Финансирование будет поступать из городского бюджета и из областной программы "
            "поддержки образования. Мэрия обещает ежемесячно публиковать отчёты о ходе работ на "
            "своём сайте."
        ),
        "Список школ, которые отремонтируют в первую очередь, опубликуют до конца месяца.",
    ),
)

JAPANESE_STORY = Story(
    key="charset-shift-jis",
    path="/2024/05/03/toshokan-keikaku/",
    headline="市議会が新しい図書館の建設計画を承認",
    language="ja",
    author="山田花子",
    section="地域",
    paragraphs=(
        "市議会は木曜日、駅前に新しい中央図書館を建設する計画を賛成多数で承認した。",
        (
            "計画によると、新しい図書館は地上四階建てで、約五十万冊の本を収蔵できる。子ども向けの"
            "読書室や学生のための自習室のほか、地域の歴史資料を展示する部屋も設けられる。工事は"
            "来年の春に始まり、二年後の開館を目指す。"
        ),
        (
            "市長は記者会見で、現在の図書館は建物が古く、利用者が増えて手狭になっていると説明した。"
            "一方、一部の議員からは建設費が予定より高くなるのではないかという懸念も出された。"
        ),
        (
            "市は今後、住民説明会を開いて意見を聞き、設計に反映させる方針だ。説明会の日程は"
            "市のホームページで発表される。"
        ),
        "新しい図書館の名前は市民からの公募で決める予定だという。",
    ),
)

CHINESE_STORY = Story(
    key="charset-gbk",
    path="/2024/05/03/gongjiao-guihua/",
    headline="市政府公布新的公共交通发展规划",
    language="zh",
    author="李明",
    section="本地",
    paragraphs=(
        "市政府星期四公布了未来五年的公共交通发展规划，计划新增三条公交线路和一条轻轨线路。",
        (
            "根据规划，新的轻轨线路将连接市中心和东部新区，全长约十八公里，预计三年内建成通车。"
            "新增的公交线路主要服务于城市北部的居民区和工业园区，方便市民上下班。"
        ),
        (
            "市交通局负责人在新闻发布会上表示，近年来城市人口增长较快，现有的公共交通已经不能"
            "满足市民的出行需求。规划还提出要改善公交站台的设施，增加无障碍通道和电子显示屏。"
        ),
        (
            "部分市民代表认为，规划应当更加重视自行车道和步行环境的建设。市政府表示将在下个月"
            "举行听证会，广泛听取各方意见。"
        ),
        "规划的详细内容已经在市政府网站上公开，欢迎市民提出建议。",
    ),
)


# --- pages --------------------------------------------------------------------------------------


def article_jsonld(story: Story, url: str) -> dict[str, Any]:
    """The NewsArticle JSON-LD object of ``story`` at ``url``."""
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": url,
        "headline": story.headline,
        "description": story.summary,
        "datePublished": PUBLISHED,
        "inLanguage": story.language,
        "articleSection": story.section,
        "author": {"@type": "Person", "name": story.author},
        "publisher": {"@type": "Organization", "name": SITE_NAME},
    }


def _jsonld_script(data: Any) -> str:
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def article_html(
    story: Story,
    base_url: str,
    *,
    charset: str | None = "utf-8",
    canonical: bool = True,
    jsonld: str | None = None,
    head_extra: str = "",
    before_article: str = "",
    article_extra: str = "",
    after_article: str = "",
) -> str:
    """The article page of ``story``: canonical link, Open Graph, JSON-LD (``jsonld`` replaces
    the script when given), a byline, the paragraphs, navigation and a related-links aside.
    ``charset=None`` leaves out the ``<meta charset>``; ``canonical=False`` the canonical link
    and ``og:url``."""
    url = urljoin(base_url, story.path)
    esc = html.escape
    meta_charset = f'<meta charset="{charset}">' if charset else ""
    script = jsonld if jsonld is not None else _jsonld_script(article_jsonld(story, url))
    urls = (
        f'<link rel="canonical" href="{esc(url)}">\n<meta property="og:url" content="{esc(url)}">'
        if canonical
        else ""
    )
    paragraphs = "\n".join(f"<p>{esc(text)}</p>" for text in story.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{story.language}">
<head>{meta_charset}
<title>{esc(story.headline)} | {SITE_NAME}</title>
{urls}
<meta name="description" content="{esc(story.summary)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{esc(story.headline)}">
<meta property="og:description" content="{esc(story.summary)}">
<meta property="article:published_time" content="{PUBLISHED}">
<meta property="article:section" content="{esc(story.section)}">
{script}
{head_extra}
</head>
<body>
<header><a href="/">{SITE_NAME}</a>
<nav><a href="/">Home</a> <a href="/city/">City</a> <a href="/about/">About us</a></nav></header>
{before_article}
<main>
<article>
<h1>{esc(story.headline)}</h1>
<p class="byline">By <span class="author">{esc(story.author)}</span>,
<time datetime="{PUBLISHED}">3 May 2024</time></p>
{paragraphs}
{article_extra}
</article>
</main>
{after_article}
<footer><p>(c) 2024 {SITE_NAME}</p></footer>
</body>
</html>
"""


def listing_html(title: str, links: Iterable[tuple[str, str]], *, extra: str = "") -> str:
    """A home or section page: a list of (href, text) teaser links."""
    items = "\n".join(
        f'<li><h2><a href="{html.escape(href)}">{html.escape(text)}</a></h2></li>'
        for href, text in links
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {SITE_NAME}</title>
<link rel="alternate" type="application/rss+xml" href="/feed.xml" title="{SITE_NAME}">
</head><body>
<header><a href="/">{SITE_NAME}</a><nav><a href="/city/">City</a></nav></header>
<main><h1>{html.escape(title)}</h1><ul class="teasers">
{items}
</ul>{extra}</main>
<footer><p>(c) 2024 {SITE_NAME}</p></footer></body></html>
"""


def rss_feed(base_url: str, stories: Sequence[Story]) -> str:
    """An RSS 2.0 feed with one item per story."""
    items = "\n".join(
        f"<item><title>{html.escape(s.headline)}</title>"
        f"<link>{html.escape(urljoin(base_url, s.path))}</link>"
        f"<pubDate>Fri, 03 May 2024 08:00:00 +0000</pubDate></item>"
        for s in stories
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{SITE_NAME}</title><link>{base_url}</link>
<description>News</description>
{items}
</channel></rss>
"""


def sitemap(urls: Iterable[str]) -> str:
    """A sitemap urlset of absolute ``urls``."""
    entries = "\n".join(
        f"<url><loc>{html.escape(u)}</loc><lastmod>2024-05-03</lastmod></url>" for u in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}\n</urlset>\n"
    )


def robots_txt(base_url: str, *, extra: str = "") -> str:
    """A robots.txt allowing everything but /private/, naming the sitemap."""
    return (
        f"User-agent: *\nDisallow: /private/\n{extra}Sitemap: {urljoin(base_url, 'sitemap.xml')}\n"
    )


def gzipped(data: bytes) -> bytes:
    """``data`` gzip-compressed (deterministic: no timestamp)."""
    return gzip.compress(data, mtime=0)


def gzip_bomb(expanded_bytes: int) -> bytes:
    """A small gzip stream that expands to ``expanded_bytes`` of spaces (built in 1 MiB steps)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    chunk = b" " * (1024 * 1024)
    out = bytearray()
    remaining = expanded_bytes
    while remaining > 0:
        piece = chunk[: min(len(chunk), remaining)]
        out += compressor.compress(piece)
        remaining -= len(piece)
    out += compressor.flush()
    return bytes(out)
