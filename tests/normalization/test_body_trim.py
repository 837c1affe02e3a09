"""trim_body: what the body loses around and after the story."""

from __future__ import annotations

from newscrawl.normalization.body import trim_body

STORY = [
    "The harbour flooded on Tuesday night after the storm pushed the tide over the old wall.",
    "Residents of the lower town spent the night on the upper floors of their houses.",
    "The mayor said the new wall would be finished before the autumn storms return.",
]


def trim(paragraphs: list[str], summary: str | None = None, **kwargs) -> list[str]:
    body = trim_body("\n\n".join(paragraphs), summary=summary, headlines=(), **kwargs)
    return body.split("\n\n") if body else []


def test_captions_credits_and_symbol_lines_are_dropped() -> None:
    noise = [
        "Firefighters at the harbour wall on Tuesday. © DPA Images | Christoph Soeder",
        "The storm surge seen from the pier. 21.04.2024 | 3:18 min",
        "¯",
        "***",
        "Foto: Getty Images",
    ]
    assert trim([STORY[0], *noise[:2], STORY[1], *noise[2:], STORY[2]]) == STORY


def test_ad_labels_and_other_interface_lines_are_dropped() -> None:
    interface = [
        "Advertisement",
        "- ANZEIGE -",
        "Publicité",
        "광고",
        "Advertisement - Scroll to continue",
        "Story continues below advertisement",
        "Continue reading the main story",
        "Scroll to continue with content",
        "Listen to this article · 4 min",
        "Comments are closed.",
        "You must be logged in to post a comment.",
    ]
    assert trim([STORY[0], *interface[:5], STORY[1], *interface[5:], STORY[2]]) == STORY


def test_story_lines_that_open_like_interface_lines_stay() -> None:
    story = [
        "Advertisement revenue fell by a third last year, the publisher said.",
        "The story continues below the fold in the printed edition.",
        "Listen to this article carefully before you vote, the mayor said.",
    ]
    assert trim([STORY[0], *story]) == [STORY[0], *story]


def test_closing_calls_to_sign_up_subscribe_or_follow_are_dropped() -> None:
    calls = [
        "This article is for subscribers. Subscribe now to read on.",
        "Have a news tip? Email us at tips@harbour.example.",
        "Sign up for our free newsletter to get the news every morning.",
        "Follow us on Twitter and Facebook for the latest updates.",
        "Become a member and enjoy exclusive benefits.",
        "HAZTE MIEMBRO Y DISFRUTA DE BENEFICIOS EXCLUSIVOS",
        "Werden Sie Mitglied und unterstützen Sie unsere Arbeit.",
        "Das Hafenblatt jetzt auch digital!Einfach hier klicken und registrieren!",
        "¿Quieres más? Haz clic aquí para recibir el boletín.",
    ]
    assert trim([*STORY, *calls]) == STORY


def test_story_sentences_about_signing_up_or_subscribers_stay() -> None:
    story = [
        *STORY,
        "Subscribers will pay more from May, the company said.",
        "Residents can sign up for flood alerts on the council's website. Sign-up closes soon.",
        "To become a member of the harbour board, a resident needs ten signatures.",
        "Wer hier klicken will, muss warten: die Seite des Amtes ist seit Tagen gestört.",
    ]
    assert trim(story) == story
    assert trim(["Sign up for our free newsletter to get the news every morning."]) != []


def test_a_closing_plea_to_support_the_site_goes_with_what_follows_it() -> None:
    pleas = [
        [
            "Like what you read? We keep every story free to read.",
            "To stay independent of advertisers, we need your help.",
            "Chip in with a small contribution: it takes a minute.",
        ],
        ["Unterstütze Hafenblatt bereits mit 2,50 Euro!", "Das geht ganz einfach per Überweisung."],
        ["Gefällt dir unser Hafenmagazin? Dann erzähl es weiter."],
        ["Apoya el periodismo independiente con una suscripción."],
    ]
    for plea in pleas:
        assert trim([*STORY, *plea]) == STORY


def test_the_story_of_support_and_a_long_tail_after_a_plea_stay() -> None:
    story = [
        *STORY,
        "The harbour board said it would support our town's fishermen through the winter.",
    ]
    assert trim(story) == story
    # more than 80 words after the plea's opening: the story goes on
    tail = [
        f"In {year}, the wall will be raised by another metre along the whole quay, the board"
        " said, and the pier will get new gates against the spring tides and storms."
        for year in (2025, 2026, 2027)
    ]
    long = [*STORY, "Like what you read? Here is what happened next.", *tail]
    assert trim(long) == long


def test_blog_entry_and_comment_field_lines_are_dropped() -> None:
    fields = [
        "Posted in Harbour, Weather | Tagged storm, tide | Leave a comment",
        "Published: November 1st, 2012 | Tags: harbour, storms",
        "Filed under Local news | Comments (3)",
        "Posted by: Jane Roe | January 14, 2008 06:24 PM",
        "Posted by: Jane Roe at January 14, 2008 06:24 PM",
        "Posted by John Doe on Tue, Oct 30, 2012",
        "Harbour Desk | Tags: storm, tide,",
        "View all posts by Jane Roe",
        "Tags: storm, tide, harbour wall",
        "Harbour, Weather | 1 Comment",
        "Design | Comments (0)",
        "« Older post about the tide | Main | Newer post about the wall »",
        "« Older post about the tide | Main",
        "| Newer post about the wall »",
        "1 Comment » | Published in",
        "• 14 Comments",
        "Leave a comment!",
        "Posted by",
        "Jane Roe |",
    ]
    assert trim([fields[0], STORY[0], fields[1], STORY[1], *fields[2:], STORY[2]]) == STORY


def test_story_lines_that_open_like_field_lines_stay() -> None:
    lines = [
        "Published in the harbour gazette | comments from readers were kind to the mayor.",
        "Posted by the harbour master | Tuesday was the longest night of his career.",
        "Posted by the harbour master on the quay, the notice warned of the tide.",
        "The tags on the boats | were checked by the harbour master on Tuesday.",
        "Tags are what the harbour master checks on every boat: name, owner and berth.",
        "« Tout va bien », a dit le maire | avant la tempête.",
        "| Le film | « Tout va bien » |",
        "No comment.",
        "12 comments on the harbour plan reached the council before the deadline.",
    ]
    assert trim([*STORY, *lines]) == [*STORY, *lines]


def test_a_paragraph_shown_twice_is_kept_once() -> None:
    assert trim([*STORY, STORY[0]]) == STORY


def test_a_key_points_box_repeating_the_summary_below_the_story_is_dropped() -> None:
    points = [
        "The storm pushed the tide over the old harbour wall.",
        "The mayor promises a new wall before the autumn.",
    ]
    summary = "\n".join(points)
    box = ["Summary", *(f"- {p}" for p in points)]
    assert trim([*STORY, *box], summary=summary) == STORY


def test_a_summary_sentence_inside_the_story_stays() -> None:
    summary = STORY[1]
    assert trim([STORY[0], STORY[1], STORY[2]], summary=summary) == STORY


def test_closing_credit_lines_are_dropped_but_short_cjk_sentences_stay() -> None:
    assert trim([*STORY, "mit dpa"]) == STORY
    for agencies in ("(PAP/ČTK).", "(Yonhap, Kyodo).", "aja/PAP", "(jb/dpa)"):  # initials first
        assert trim([*STORY, agencies]) == STORY
    for credit in (
        "Bron: ANP", "Kaynak: AA", "Lähde: STT", "Фото: Иван Петров", "Crédits photos : Agence",
        "Photo credit: Jo Bloggs/Flickr", "Bildnachweis: Stadtarchiv",
    ):  # fmt: skip
        assert trim([STORY[0], credit, *STORY[1:]]) == STORY  # a source or photo credit
    cjk = ["東京で大雨が降った。", "電車が止まった", "市は注意を呼びかけた"]
    assert trim(cjk) == cjk


def test_a_long_paragraph_ending_in_a_credit_is_story_not_a_caption() -> None:
    """Old table layouts put the whole story in one cell ending "Brought to you by AP © AP
    2008": the credit ends it, but 60 words and more are no caption."""
    story = " ".join(
        f"The council met on day {i} and agreed the new budget plan." for i in range(8)
    )
    body = f"{story} Brought to you by AP © AP 2008"
    assert trim_body(body, summary=None, headlines=[]) == body


def test_a_short_caption_ending_in_a_credit_is_dropped() -> None:
    body = "The council met and agreed the budget for the year.\n\nThe mayor at the meeting © AP Photos"
    assert trim_body(body, summary=None, headlines=[]) == (
        "The council met and agreed the budget for the year."
    )


def test_closing_copyright_notices_are_dropped() -> None:
    notices = [
        (
            "Copyright 2008 The Wire Agency. All rights reserved. This material may not be"
            " published, broadcast, rewritten or redistributed."
        ),
        "Content © Copyright 2000 - 2008 Harbour TV and partners.",
        "© Harbour Daily 2024. Alle Rechte vorbehalten.",
        "Disclaimer: This story is copyrighted by The Wire Agency and published by Harbour TV.",
        "Home © 2008, Harbour Daily. Republication of this page is prohibited without consent.",
        "Reproduction or reuse prohibited without written consent from Harbour Daily.",
    ]
    for notice in notices:
        assert trim([*STORY, notice]) == STORY
    assert trim([*STORY, *notices]) == STORY


def test_a_closing_paragraph_about_copyright_is_story() -> None:
    closing = "Copyright lawyers say the harbour's old photographs now belong to the town."
    assert trim([*STORY, closing]) == [*STORY, closing]
    quoted = "The mayor said the photographs are copyrighted by the town and will stay there."
    assert trim([*STORY, quoted]) == [*STORY, quoted]
    banned = "Filming on the pier is prohibited without a permit, the harbour master said."
    assert trim([*STORY, banned]) == [*STORY, banned]
    item = "(c) the harbour board pays for the new wall before the autumn storms."
    assert trim([*STORY, item]) == [*STORY, item]  # a list item, not "(c) 2008"
    assert trim([*STORY, "(c) 2008 Harbour Daily."]) == STORY
    long_notice = " ".join(["The harbour archive keeps every photograph of the flood."] * 7)
    closing = f"{long_notice} All rights reserved by the town."  # over 60 words: story
    assert trim([*STORY, closing]) == [*STORY, closing]


def test_a_menu_or_share_bar_read_into_the_text_is_cut_out() -> None:
    menu = "News: Front Page \\| National \\| World \\| Business \\| Sport \\| Opinion \\|"
    share = "Facebook | Twitter | Reddit | E-mail this story | Print"
    footer = "Home ｜ About us ｜ Archives ｜ Contact ｜ Jobs ｜ Imprint"
    assert trim([f"{menu}{STORY[0]}", *STORY[1:], share, footer]) == STORY


def test_pipes_in_prose_rows_and_price_lists_stay() -> None:
    crumbs = f"Local | Harbour | Weather: {STORY[0]}"  # three items: no menu
    row = "| Adults | Children | Seniors | Groups | Families |"  # a table row
    prices = "Adults: 9 € | Children: 4 € | Seniors: 6 € | Groups: 7 € | Families: 20 €"
    assert trim([crumbs, *STORY[1:], row, prices]) == [crumbs, *STORY[1:], row, prices]


def test_a_copyright_notice_opening_the_body_is_dropped() -> None:
    notice = "(c) 2008 Harbour Times, All Rights Reserved. The views expressed are the authors'."
    assert trim([notice, *STORY]) == STORY
    opening = "Copyright lawyers say the harbour's old photographs now belong to the town."
    assert trim([opening, *STORY]) == [opening, *STORY]


HEADLINE = "Storm floods the harbour town"


def trim_under(headline: str, paragraphs: list[str], **kwargs) -> list[str]:
    body = trim_body("\n\n".join(paragraphs), summary=None, headlines=(headline,), **kwargs)
    return body.split("\n\n") if body else []


def test_a_headline_run_into_the_first_line_is_cut_off() -> None:
    """A layout cell gives headline, dateline and story as one line."""
    run_in = f"{HEADLINE} Posted May 1, 2024 3:47 PM (AP) {STORY[0]}"
    assert trim_under(HEADLINE, [run_in, *STORY[1:]]) == [
        f"Posted May 1, 2024 3:47 PM (AP) {STORY[0]}",
        *STORY[1:],
    ]
    assert trim_under(HEADLINE, [f"{HEADLINE} | {STORY[0]}"]) == [STORY[0]]


def test_a_first_sentence_whose_subject_repeats_the_headline_is_kept_whole() -> None:
    sentence = f"{HEADLINE} filled the lower streets with water before the tide turned at dawn."
    assert trim_under(HEADLINE, [sentence, *STORY]) == [sentence, *STORY]
    short = "Storm floods town"  # under four words: too likely to open a sentence by chance
    assert trim_under(short, [f"{short} The tide rose over the wall at dawn."]) == [
        f"{short} The tide rose over the wall at dawn."
    ]


BIO = "Jane Roe is a senior reporter who has covered the coast and its harbours since 2009."


def test_a_closing_author_bio_is_dropped() -> None:
    assert trim([*STORY, BIO], authors=["Jane Roe"]) == STORY


def test_the_only_paragraph_is_never_taken_for_an_author_bio() -> None:
    """A short post whose one paragraph opens with its dateline and byline."""
    post = f"Published on 1 May 2024 by Jane Roe. {STORY[0]} {STORY[1]}"
    assert trim([post], authors=["Jane Roe"]) == [post]


def test_closing_web_addresses_with_a_short_label_are_dropped() -> None:
    for line in (
        "Permalink: https://harbour.example/2024/05/01/storm.html",
        "Publikacja dostępna na stronie: https://harbour.example/storm",
        "www.harbour.example",
    ):
        assert trim([*STORY, line]) == STORY


def test_a_closing_sentence_that_ends_with_an_address_stays() -> None:
    line = (
        "The council will publish the full report on the new wall at https://harbour.example/wall"
    )
    assert trim([*STORY, line]) == [*STORY, line]


def test_a_time_stamp_run_into_the_first_line_is_cut_off() -> None:
    """A layout cell gives the source, the time and the story as one line."""
    for stamp in (
        "Associated Press - January 10, 2008 3:23 PM ET",
        "Posted: Wednesday Jan. 9, 2008 10:23 PM",
        "Aktualisiert 10.01.2008 15:23 |",
        "2008-01-10 15:23",
    ):
        assert trim([f"{stamp} {STORY[0]}", *STORY[1:]]) == STORY
    dateline = "NEW YORK (AP) - " + STORY[0]
    assert trim([f"January 10, 2008 3:23 PM {dateline}"]) == [dateline]


def test_a_time_stamp_opening_a_sentence_or_a_short_line_stays() -> None:
    lowercase = "January 10, 2008 3:23 PM was when the harbour wall gave way to the sea."
    assert trim([lowercase, *STORY[1:]]) == [lowercase, *STORY[1:]]
    long_label = f"The harbour board met on January 10, 2008 3:23 PM {STORY[0]}"
    assert trim([long_label, *STORY[1:]]) == [long_label, *STORY[1:]]


def test_a_story_ends_at_its_closing_copyright_notice() -> None:
    disclaimer = "This story comes straight from a news agency; its spelling is the agency's."
    assert trim([*STORY, "© 2008", "AFP", disclaimer]) == STORY
    reserved = "Copyright The Associated Press. All rights reserved."
    assert trim([*STORY, reserved, "E-mail to a friend"]) == STORY
    wire = "Distributed by a wire service. This material may not be published or redistributed."
    mortgage = (
        "Are you paying too much on your mortgage? Considering a new loan? Enter a few details"
        " about your home and an email address to get up to four quotes."
    )
    report = "You can get a free credit report online right now by giving us your card details."
    ads = [f"{mortgage} More", f"{report} More"]  # over 40 words of advertising after the notice
    assert trim([*STORY, wire, *ads]) == STORY


def test_a_picture_credit_or_a_notice_before_a_long_text_does_not_end_the_story() -> None:
    last = "The harbour master said the boats would stay in port until the wind dropped."
    assert trim([*STORY, "© Reuters", last]) == [*STORY, "© Reuters", last]
    notice = "© 2008 The Harbour Times"
    more = [f"{line} {STORY[i - 1]}" for i, line in enumerate(STORY)]  # 80+ words after it
    assert trim([*STORY, notice, *more]) == [*STORY, notice, *more]


def test_a_table_of_dated_rows_ending_the_story_stays_whole() -> None:
    """A closing date line is dropped; a table row holding a date is not one."""
    table = [
        "| Date | Amount | Donor |",
        "| 2020-09-29 | $500 | Jane Roe |",
        "| 2020-09-30 | $250 | John Doe |",
    ]
    assert trim([*STORY, *table]) == [*STORY, *table]
    assert trim([*STORY, "30 September 2020"]) == STORY


def test_a_list_of_other_posts_excerpts_is_dropped() -> None:
    excerpts = [
        "Our guide to the lighthouse walk takes you past the old keeper's cottage and [...]",
        "The ferry timetable changes again this winter, and the first boat now leaves […]",
    ]
    assert trim([STORY[0], excerpts[0], *STORY[1:], excerpts[1]]) == STORY


def test_a_single_quotation_cut_short_with_an_ellipsis_stays() -> None:
    quoted = "“The wall will hold until the spring,” the engineer wrote in her report. [...]"
    assert trim([STORY[0], quoted, *STORY[1:]]) == [STORY[0], quoted, *STORY[1:]]


def test_a_closing_label_whose_list_was_removed_is_dropped() -> None:
    labels = ["More topics on Harbourpost.example:", "Lesen Sie auch:", "Related coverage:"]
    for label in labels:
        assert trim([*STORY, label]) == STORY


def test_a_closing_heading_that_announces_more_is_dropped() -> None:
    headings = ["Weitere Tourentipps an der Küste", "More from the harbour desk", "Más noticias"]
    for heading in headings:
        assert trim([*STORY, heading]) == STORY
    # a closing sentence about more of something stays
    more = "More rain is expected on Friday, the weather service said."
    assert trim([*STORY, more]) == [*STORY, more]


def test_a_press_releases_closing_contact_block_is_dropped() -> None:
    contact = [
        "Pressekontakt:",
        "Jane Roe, Pressesprecherin",
        "Hafenverband e. V.",
        "Kaistraße 7, 24103 Kiel",
        "Tel.: 0431 / 12 34 56",
    ]
    assert trim([*STORY, *contact]) == STORY
    # a contact heading followed by more of the story is no closing block
    more = [
        "Media contacts",
        "Reporters who asked the harbour board about the wall were told to wait for the spring.",
        "The board's spokeswoman said the plans would be shown to the press in March next year.",
    ]
    assert trim([*STORY, *more]) == [*STORY, *more]


def test_a_closing_sentence_or_list_item_ending_in_a_colon_stays() -> None:
    closing = "You can read the council's plan for the new wall here:"
    assert trim([*STORY, closing]) == [*STORY, closing]
    specs = ["- Length: 2.4 m", "- Weight: 186 g", "- Wi-Fi:"]  # a spec list, not a label
    assert trim([*STORY, *specs]) == [*STORY, *specs]
